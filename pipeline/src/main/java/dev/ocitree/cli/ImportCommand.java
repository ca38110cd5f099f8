package dev.ocitree.cli;

import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.imports.LayerResult;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Command(name = "import", description = {
        "Import an OCI image: a commit per layer and a merged commit.",
        "Layers go to ostree/container/blob/<digest>, the merged image to ostree/container/image/<name>;",
        "layers already in the repository are not read again. The image's name is SOURCE made canonical",
        "(absolute path; the manifest digest when untagged): see docs/import.md. A registry image",
        "(docker://HOST/NAME[:TAG|@DIGEST]) is pulled with default options: see pull."})
final class ImportCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG|:@N] or docker://....")
    String source;

    @Mixin
    ImportFlags flags;

    @Override
    int run(OstreeRepository repo) {
        return execute(this, repo, io -> OciSource.open(source, io), flags.options());
    }

    /**
     * Imports from the source {@code open} makes on the I/O scheduler, printing progress and the
     * result on {@code command}'s streams (also {@code pull}).
     */
    static int execute(RepoCommand command, OstreeRepository repo, Function<Scheduler, OciSource> open,
            ImportOptions options) {
        boolean json = command.json();
        PrintWriter out = command.out();
        PrintWriter err = command.err();
        Scheduler io = Schedulers.newBoundedElastic(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                10_000, "ocitree-import-io", 60, true);
        ImportProgress progress = new ImportProgress(err, System.console() != null && !json);
        if (RepoLockProbe.blocks(repo.path(), false)) {
            err.println(RepoLockProbe.waitingMessage(repo.path()));
            err.flush();
        }
        ImportResult[] result = new ImportResult[1];
        ImportEvent.Restored[] restored = new ImportEvent.Restored[1];
        try (OciSource oci = open.apply(io)) {
            new ImageImporter(repo).importImage(oci, options)
                    .doOnNext(event -> {
                        if (json) {
                            out.println(JsonEvents.event(event));
                            out.flush();
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
            summary(out, result[0]);
            if (restored[0] != null) {
                restored(out, restored[0]);
            }
        }
        return 0;
    }

    private static void summary(PrintWriter out, ImportResult r) {
        long reused = r.layers().stream().filter(LayerResult::reused).count();
        out.println("imported " + CliText.escape(r.imageName()) + " (" + r.manifestDigest() + ")");
        out.println("  commit " + r.commit().hex());
        out.println("  ref    " + r.imageRef());
        if (r.branch() != null) {
            out.println("  branch " + r.branch());
        }
        out.println("  " + CliText.count(r.layers().size(), "layer") + " (" + reused + " already in the repository), "
                + ByteSizes.format(r.bytesRead()) + " read");
        if (!r.skipped().isEmpty()) {
            out.println("  " + CliText.count(r.skipped().size(), "entry", "entries")
                    + " skipped (devices, FIFOs): see ocitree.skipped in the commit");
        }
    }

    /** The commit an exported image carried, stored under its original checksum (docs/export.md). */
    private static void restored(PrintWriter out, ImportEvent.Restored r) {
        out.println("  restored " + r.restored().source() + " commit " + r.restored().commit().hex() + " -> "
                + String.join(", ", r.restored().refs()));
    }
}
