package dev.ocitree.cli;

import dev.ocitree.exports.ExportOptions;
import dev.ocitree.exports.ExportResult;
import dev.ocitree.exports.ImageExporter;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Command(name = "export", description = {
        "Export a commit as a one-layer OCI image, or push it to a registry.",
        "Into an OCI layout or archive, a docker-archive, or a registry",
        "(docs/export.md).",
        "The same commit always gives the same layer, config and manifest digests.",
        "The image carries the commit object and its detached metadata, so",
        "'ocitree import' of it stores the same commit checksum again, and",
        "flatpak's org.flatpak.* labels, so 'flatpak build-import-bundle --oci'",
        "accepts the export of a flatpak ref.",
        "With --image, REF names an imported image (as 'ocitree images' lists",
        "it) and the image is exported with its original config and layers:",
        "every layer tar is rebuilt byte for byte from its layer commit (same",
        "diff_ids, same config digest); only the compressed bytes differ."})
final class ExportCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF", description = "A ref or a commit checksum; with --image, an image name.")
    String rev;

    @Parameters(index = "1", paramLabel = "DEST", description = {
            "oci:DIR[:TAG]: an OCI layout, created or updated (the entry",
            "  tagged TAG is replaced, others stay);",
            "oci-archive:FILE[:TAG]: the same layout as a tar;",
            "docker-archive:FILE[:NAME:TAG]: 'docker save' format, the layer",
            "  uncompressed (no RepoTags without NAME:TAG);",
            "docker://HOST[:PORT]/NAME[:TAG|@DIGEST]: pushed to a registry",
            "  (blobs it has are skipped, the manifest is put last; default",
            "  tag 'latest'; not with --image), with the registry options of pull.",
            "TAG defaults to REF for a flatpak ref (app/..., runtime/...),",
            "else 'latest'."})
    String destination;

    @Option(names = "--compress", paramLabel = "gzip|zstd|none", defaultValue = "gzip",
            description = "Layer compression for oci:, oci-archive: and docker:// (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--image", description = {"REF is an imported image's name: export its original",
            "layers and config (an image round trip, docs/export.md)."})
    boolean image;

    @Mixin
    RegistryFlags registryFlags;

    @Option(names = "--chunk-size", paramLabel = "BYTES",
            description = {"docker://: bytes per PATCH of a blob upload; a blob of at most",
                "this size is one monolithic PUT (default: 4194304)."})
    Integer chunkSize;

    @Option(names = "--mount-from", paramLabel = "NAME",
            description = {"docker://: a repository of the same registry that may hold the",
                "blobs: a blob the destination lacks is mounted from it first."})
    String mountFrom;

    @Override
    int run(OstreeRepository repo) {
        Compression compression = switch (compress) {
            case "gzip" -> Compression.GZIP;
            case "zstd" -> Compression.ZSTD;
            case "none" -> Compression.NONE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--compress=" + compress + ": expected gzip, zstd or none");
        };
        Scheduler io = Schedulers.newBoundedElastic(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                10_000, "ocitree-export-io", 60, true);
        ExportResult r;
        try {
            ImageExporter exporter = new ImageExporter(repo, io);
            ExportOptions options = ExportOptions.defaults().compression(compression)
                    .registry(registryFlags.options()).mountFrom(mountFrom);
            if (chunkSize != null) {
                if (chunkSize < 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--chunk-size=" + chunkSize + ": expected a positive number of bytes");
                }
                options = options.chunkSize(chunkSize);
            }
            r = (image ? exporter.exportImage(rev, destination, options) : exporter.export(rev, destination, options))
                    .block();
        } finally {
            io.dispose();
        }
        PrintWriter out = out();
        out.println("exported " + r.commit().hex() + " to " + r.destination() + (r.tag() == null ? "" : " (tag " + r.tag() + ")"));
        if (r.manifestDigest() != null) {
            out.println("  manifest " + r.manifestDigest());
        }
        out.println("  config   " + r.configDigest());
        for (ExportResult.Layer layer : r.layers()) {
            out.println("  layer    " + layer.digest() + " (" + layer.size() + " bytes, "
                    + (layer.digest().equals(layer.diffId()) ? "uncompressed" : compress) + ")");
            out.println("  diff_id  " + layer.diffId() + " (" + layer.tarSize() + " bytes)");
        }
        return 0;
    }
}
