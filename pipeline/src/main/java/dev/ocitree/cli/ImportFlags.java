package dev.ocitree.cli;

import dev.ocitree.imports.ImportOptions;
import dev.ocitree.oci.Platform;
import picocli.CommandLine.Option;

/** The flags {@code import} and {@code pull} share, as a picocli mixin, and the options they make. */
final class ImportFlags {

    @Option(names = {"-b", "--branch"}, paramLabel = "REF", description = "Also point REF at the merged commit.")
    String branch;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Platform to pick from an image index (default: this machine's).")
    String platform;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Layers read (or downloaded) and imported at once (default: cores).")
    Integer concurrency;

    @Option(names = "--replace",
            description = "Move the image's name to this image when it already names a different one.")
    boolean replace;

    ImportOptions options() {
        ImportOptions options = ImportOptions.defaults().branch(branch).replace(replace);
        if (platform != null) {
            options = options.platform(Platform.parse(platform));
        }
        if (concurrency != null) {
            options = options.concurrency(concurrency);
        }
        return options;
    }
}
