package dev.ocitree.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.imports.LayerResult;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Command(name = "import", description = {
        "Import an OCI image: a commit per layer (ostree/container/blob/...) and a merged commit",
        "(ostree/container/image/...). SOURCE is oci:DIR[:TAG], oci-archive:FILE[:TAG] or",
        "docker-archive:FILE[:NAME:TAG]. Layers already in the repository are not read again."})
final class ImportCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Option(names = {"-b", "--branch"}, paramLabel = "REF", description = "Also point REF at the merged commit.")
    String branch;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Platform to pick from an image index (default: this machine's).")
    String platform;

    @Option(names = "--concurrency", paramLabel = "N", description = "Layers imported at once (default: cores).")
    Integer concurrency;

    @Option(names = "--json", description = "Print progress and the result as JSON lines.")
    boolean json;

    @Override
    int run(OstreeRepository repo) {
        ImportOptions options = ImportOptions.defaults().branch(branch);
        if (platform != null) {
            options = options.platform(Platform.parse(platform));
        }
        if (concurrency != null) {
            options = options.concurrency(concurrency);
        }
        Scheduler io = Schedulers.newBoundedElastic(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                10_000, "ocitree-import-io", 60, true);
        ImportProgress progress = new ImportProgress(spec.commandLine().getErr(), System.console() != null && !json);
        ImportResult[] result = new ImportResult[1];
        ImportEvent.Restored[] restored = new ImportEvent.Restored[1];
        try (OciSource oci = OciSource.open(source, io)) {
            new ImageImporter(repo, io).importImage(oci, options)
                    .doOnNext(event -> {
                        if (json) {
                            out().println(Json.event(event));
                            out().flush();
                        } else {
                            progress.accept(event);
                        }
                        if (event instanceof ImportEvent.Done done) {
                            result[0] = done.result();
                        } else if (event instanceof ImportEvent.Restored r) {
                            restored[0] = r;
                        }
                    })
                    .blockLast();
        } finally {
            io.dispose();
        }
        if (!json) {
            summary(out(), result[0]);
            if (restored[0] != null) {
                restored(out(), restored[0]);
            }
        }
        return 0;
    }

    private static void summary(PrintWriter out, ImportResult r) {
        long reused = r.layers().stream().filter(LayerResult::reused).count();
        out.println("imported " + r.imageName() + " (" + r.manifestDigest() + ")");
        out.println("  commit " + r.commit().hex());
        out.println("  ref    " + r.imageRef());
        if (r.branch() != null) {
            out.println("  branch " + r.branch());
        }
        out.println(String.format(Locale.ROOT, "  %d layers (%d already in the repository), %s read", r.layers().size(),
                reused, Json.bytes(r.bytesRead())));
        if (!r.skipped().isEmpty()) {
            out.println("  " + r.skipped().size() + " entries skipped (devices, FIFOs): see ocitree.skipped in the commit");
        }
    }

    /** The commit an exported image carried, stored under its original checksum (docs/export.md). */
    private static void restored(PrintWriter out, ImportEvent.Restored r) {
        out.println("  restored " + r.restored().source() + " commit " + r.restored().commit().hex() + " -> "
                + String.join(", ", r.restored().refs()));
    }

    /** The JSON form of events and results. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }

        static String event(ImportEvent event) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("event", event.getClass().getSimpleName());
            if (event instanceof ImportEvent.Resolved e) {
                n.put("image", e.image().source());
                n.put("manifestDigest", e.image().manifestDigest());
                n.put("layers", e.image().layers().size());
            } else if (event instanceof ImportEvent.LayerStarted e) {
                n.put("index", e.index()).put("digest", e.digest()).put("size", e.size());
            } else if (event instanceof ImportEvent.LayerProgress e) {
                n.put("index", e.index()).put("digest", e.digest()).put("bytesRead", e.bytesRead()).put("size", e.size());
            } else if (event instanceof ImportEvent.LayerDone e) {
                layer(n.put("index", e.index()), e.layer());
            } else if (event instanceof ImportEvent.Skipped e) {
                n.put("layer", e.layer()).put("skipped", e.what());
            } else if (event instanceof ImportEvent.Restored e) {
                n.put("commit", e.restored().commit().hex()).put("source", e.restored().source());
                e.restored().refs().forEach(n.withArray("refs")::add);
            } else if (event instanceof ImportEvent.Merged e) {
                n.put("commit", e.commit().hex());
            } else if (event instanceof ImportEvent.Done e) {
                ImportResult r = e.result();
                n.put("image", r.imageName()).put("ref", r.imageRef()).put("manifestDigest", r.manifestDigest())
                        .put("commit", r.commit().hex()).put("branch", r.branch()).put("bytesRead", r.bytesRead());
                r.layers().forEach(l -> layer(n.withArray("layers").addObject(), l));
                r.skipped().forEach(n.withArray("skipped")::add);
            }
            return n.toString();
        }

        private static void layer(ObjectNode n, LayerResult l) {
            n.put("digest", l.digest()).put("diffId", l.diffId()).put("commit", l.commit().hex())
                    .put("reused", l.reused()).put("bytesRead", l.bytesRead());
        }

        static String bytes(long n) {
            if (n < 1024) {
                return n + " B";
            }
            double v = n;
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            int u = -1;
            while (v >= 1024 && u < units.length - 1) {
                v /= 1024;
                u++;
            }
            return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
        }
    }
}
