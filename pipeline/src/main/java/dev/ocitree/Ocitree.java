package dev.ocitree;

import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImageStore;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Path;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * ocitree embedded: one repository, its imported images, and a bounded scheduler for the blocking
 * work of imports (blob reads, tree loads), disposed by {@link #close()}.
 *
 * <pre>{@code
 * try (Ocitree ocitree = Ocitree.open(Path.of("/srv/repo"))) {
 *     ImportResult r = ocitree.importImage("oci:examples/hello-oci:latest",
 *             ImportOptions.defaults().branch("example")).block();
 *     System.out.println(r.commit().hex());
 * }
 * }</pre>
 */
public final class Ocitree implements AutoCloseable {

    private final OstreeRepository repo;
    private final Scheduler io;

    private Ocitree(OstreeRepository repo) {
        this.repo = repo;
        this.io = Schedulers.newBoundedElastic(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 10_000,
                "ocitree-import-io", 60, true);
    }

    /** Opens an existing repository (blocking, cheap: call it off the event loop). */
    public static Ocitree open(Path repo) {
        return new Ocitree(OstreeRepository.open(repo));
    }

    /** The repository, for direct use (refs, checkout, fsck...). */
    public OstreeRepository repository() {
        return repo;
    }

    /**
     * Imports an image ({@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]},
     * {@code docker-archive:FILE[:NAME:TAG]}): a commit per layer and a merged commit.
     */
    public Mono<ImportResult> importImage(String source, ImportOptions options) {
        return importWithProgress(source, options)
                .ofType(ImportEvent.Done.class)
                .last()
                .map(ImportEvent.Done::result);
    }

    /** Like {@link #importImage} but reports progress; the last event is {@link ImportEvent.Done}. */
    public Flux<ImportEvent> importWithProgress(String source, ImportOptions options) {
        return Flux.using(() -> OciSource.open(source, io),
                s -> new ImageImporter(repo).importImage(s, options),
                OciSource::close);
    }

    /** The imported images and layers: list, remove, prune. */
    public ImageStore images() {
        return new ImageStore(repo);
    }

    @Override
    public void close() {
        try {
            repo.close();
        } finally {
            io.dispose();
        }
    }
}
