package dev.ocitree.exports;

import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.oci.OciSource;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Path;
import java.util.List;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Export and import calls for the tests, each with its own I/O scheduler, disposed when it returns. */
final class ExportTesting {

    private ExportTesting() {
    }

    /** Exports {@code rev} of the repository at {@code repoPath} to {@code dest}. */
    static ExportResult export(Path repoPath, String rev, String dest, Compression c) {
        Scheduler io = Schedulers.newBoundedElastic(4, 1000, "export-test-io");
        try (OstreeRepository r = OstreeRepository.open(repoPath)) {
            return new ImageExporter(r, io).export(rev, dest, ExportOptions.defaults().compression(c)).block();
        } finally {
            io.dispose();
        }
    }

    /** Exports the imported image {@code image} of the repository at {@code repoPath} to {@code dest}. */
    static ExportResult exportImage(Path repoPath, String image, String dest, Compression c) {
        Scheduler io = Schedulers.newBoundedElastic(4, 1000, "export-test-io");
        try (OstreeRepository r = OstreeRepository.open(repoPath)) {
            return new ImageExporter(r, io).exportImage(image, dest, ExportOptions.defaults().compression(c)).block();
        } finally {
            io.dispose();
        }
    }

    /** Imports {@code source} into a new repository of {@code mode}; every event of the import. */
    static List<ImportEvent> importInto(Path repoPath, RepoMode mode, String source, String branch) {
        Scheduler io = Schedulers.newBoundedElastic(4, 1000, "import-test-io");
        try (OstreeRepository repo = OstreeRepository.init(repoPath, mode); OciSource oci = OciSource.open(source, io)) {
            return new ImageImporter(repo).importImage(oci, ImportOptions.defaults().branch(branch))
                    .collectList().block();
        } finally {
            io.dispose();
        }
    }
}
