package dev.ocitree.cli;

import dev.ocitree.exports.ExportOptions;
import dev.ocitree.exports.ExportResult;
import dev.ocitree.exports.ImageExporter;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Command(name = "export", description = {
        "Export a commit as a one-layer OCI image. REF is a ref or a commit checksum; DEST is",
        "oci:DIR[:TAG] (an OCI layout, created or updated: the entry tagged TAG is replaced),",
        "oci-archive:FILE[:TAG] (the same layout as a tar) or docker-archive:FILE[:NAME:TAG]",
        "('docker save' format, layer uncompressed whatever --compress says). TAG defaults to REF",
        "for a flatpak ref (app/... or runtime/...), else 'latest'; a docker archive without",
        "NAME:TAG has no RepoTags. The same commit always gives the same layer,",
        "config and manifest digests. The image carries the commit object and its detached",
        "metadata, so 'ocitree import' of it rebuilds the same commit checksum, and flatpak's",
        "org.flatpak.* labels, so 'flatpak build-import-bundle --oci' accepts a flatpak ref's export."})
final class ExportCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF")
    String rev;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Option(names = "--compress", paramLabel = "gzip|zstd|none", defaultValue = "gzip",
            description = "Layer compression for oci: and oci-archive: (default: ${DEFAULT-VALUE}).")
    String compress;

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
            r = new ImageExporter(repo, io).export(rev, destination, ExportOptions.defaults().compression(compression))
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
        out.println("  layer    " + r.layerDigest() + " (" + r.layerSize() + " bytes, "
                + (r.layerDigest().equals(r.diffId()) ? "uncompressed" : compress) + ")");
        out.println("  diff_id  " + r.diffId() + " (" + r.tarSize() + " bytes)");
        return 0;
    }
}
