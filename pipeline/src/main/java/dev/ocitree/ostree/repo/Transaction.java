package dev.ocitree.ostree.repo;

import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Writes into a repository while its shared lock is held (ostree's transaction): objects are staged,
 * and published into {@code objects/} — one sync, renames, a second sync — by {@link #commit} or
 * {@link #setRef} before the ref is written. Get one from
 * {@link OstreeRepository#transaction(WriteOptions, Function)}; it is valid until the {@code Mono}
 * that function returns terminates.
 *
 * <p>The write half of a pipeline is two stages and a commit:
 * <pre>{@code
 * repo.transaction(WriteOptions.defaults(), tx -> tarEvents          // Flux<TarEvent> of one layer
 *         .transform(tx.writeObjects())                              // Flux<StoredEntry>, archive order
 *         .collectList()                                             // or a tree-building stage
 *         .flatMap(entries -> tx.writeTree(treeOf(entries)))
 *         .flatMap(root -> tx.commit(CommitRequest.of(root, rootMeta).withRef("main"))));
 * }</pre>
 *
 * <p>Threads: every method returns a cold publisher whose file-system work runs on the options'
 * scheduler; none of them blocks the subscribing thread, so they may be subscribed from an event
 * loop or {@code Schedulers.parallel()}.
 */
public final class Transaction {

    private final OstreeRepository repo;
    private final LooseObjects objects;
    private final RefStore refs;
    private final ObjectWriter writer;
    private final Scheduler scheduler;
    private final int writesInFlight;

    Transaction(OstreeRepository repo, LooseObjects objects, RefStore refs, ObjectWriter writer, Scheduler scheduler,
            int writesInFlight) {
        this.repo = repo;
        this.objects = objects;
        this.refs = refs;
        this.writer = writer;
        this.scheduler = scheduler;
        this.writesInFlight = writesInFlight;
    }

    /** The repository written to. */
    public OstreeRepository repository() {
        return repo;
    }

    /** The scheduler that runs this transaction's file-system work. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The write stage: stores the object of every entry of a tar stream (content of regular files
     * and symlinks, canonicalised for the repository's mode; dirmetas of directories) and emits one
     * {@link StoredEntry} per entry, in archive order. Hardlinks, devices and FIFOs pass through
     * with no object. See {@link ObjectWriteOperator} for demand and memory; it owns and releases
     * every {@link TarEvent.Content} it receives.
     */
    public Function<Flux<TarEvent>, Flux<StoredEntry>> writeObjects() {
        return events -> new ObjectWriteOperator(events, writer, repo.mode(), scheduler, writesInFlight);
    }

    /** Stores a dirmeta (canonicalised for the mode); returns its checksum. */
    public Mono<Checksum> writeDirmeta(Dirmeta meta) {
        return blocking("cannot write a dirmeta", () -> writer.writeDirmeta(meta))
                .flatMap(w -> awaitStaged(w.pending()).thenReturn(w.checksum()));
    }

    /**
     * Stores a dirtree, dirmeta or commit given its normal-form bytes, named by their SHA-256; a
     * present object is left alone. Returns the checksum.
     */
    public Mono<Checksum> writeMetadata(ObjectType type, byte[] serialized) {
        if (!type.isContentAddressedMetadata()) {
            return Mono.error(new IllegalArgumentException(type + " objects are not named by their checksum"));
        }
        Checksum checksum = Checksum.sha256(serialized);
        return blocking("cannot write " + objects.name(type, checksum), () -> writer.writeMetadata(type, checksum,
                serialized)).flatMap(w -> awaitStaged(w.pending()).thenReturn(checksum));
    }

    /**
     * Stores the detached metadata of a commit (its signatures, say; left alone when the commit
     * already has some). The commit need not be stored yet: both are published together.
     */
    public Mono<Void> writeDetachedMetadata(Checksum commit, DetachedMetadata metadata) {
        byte[] bytes = metadata.serialize();
        return blocking("cannot write " + objects.name(ObjectType.COMMIT_META, commit),
                () -> writer.writeMetadata(ObjectType.COMMIT_META, commit, bytes))
                .flatMap(w -> awaitStaged(w.pending()));
    }

    /**
     * Serialises every dirtree of {@code tree} bottom-up and stores them (its dirmetas must already
     * be stored); returns the root dirtree checksum. The root's dirmeta is {@code tree.meta()}.
     */
    public Mono<Checksum> writeTree(MutableTree tree) {
        return blocking("cannot write dirtrees", () -> {
            Map<Checksum, byte[]> dirtrees = new LinkedHashMap<>();
            Dirtree.Subdir root = tree.writeSerialized(dirtrees::putIfAbsent);
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (Map.Entry<Checksum, byte[]> e : dirtrees.entrySet()) {
                ObjectWriter.Written w = writer.writeMetadata(ObjectType.DIR_TREE, e.getKey(), e.getValue());
                if (w.pending() != null) {
                    pending.add(w.pending());
                }
            }
            return Map.entry(root.tree(), pending);
        }).flatMap(r -> awaitStaged(r.getValue().isEmpty() ? null
                : CompletableFuture.allOf(r.getValue().toArray(CompletableFuture[]::new))).thenReturn(r.getKey()));
    }

    /**
     * Writes a commit object and, when the request names a ref, points the ref at it after the
     * objects are published and synced. Fails with {@link ObjectNotFoundException} when the root tree
     * or dirmeta is not in the repository. Returns the commit checksum.
     */
    public Mono<Checksum> commit(CommitRequest request) {
        return blocking("cannot commit", () -> {
            for (Map.Entry<ObjectType, Checksum> e : List.of(Map.entry(ObjectType.DIR_TREE, request.rootTree()),
                    Map.entry(ObjectType.DIR_META, request.rootMeta()))) {
                if (!objects.has(e.getKey(), e.getValue())) {
                    throw new ObjectNotFoundException(repo.path(), objects.name(e.getKey(), e.getValue()),
                            "root of the commit");
                }
            }
            RefNames.RefSpec spec = request.ref() == null ? null : RefNames.parse(repo.path(), request.ref());
            if (spec != null && spec.remote() != null) {
                throw new InvalidRefException(repo.path(), request.ref(), "commits move local branches only");
            }
            Checksum parent = request.parent();
            if (parent == null && request.parentFromRef() && spec != null) {
                String current = refs.read(spec);
                parent = current == null ? null : Checksum.fromHex(current);
            }
            Map<String, Variant> metadata = new LinkedHashMap<>(request.metadata());
            if (spec != null && request.refBinding()) {
                metadata.put(Commit.REF_BINDING, Commit.refBinding(List.of(spec.ref())));
                if (repo.collectionId() != null) {
                    metadata.put(Commit.COLLECTION_BINDING, Variant.string(repo.collectionId()));
                }
            }
            Commit commit = new Commit(metadata, parent, request.subject(), request.body(), request.timestampSeconds(),
                    request.rootTree(), request.rootMeta());
            byte[] bytes = commit.serialize();
            Checksum checksum = Checksum.sha256(bytes);
            return new StagedCommit(writer.writeMetadata(ObjectType.COMMIT, checksum, bytes), spec);
        }).flatMap(c -> awaitStaged(c.written().pending()).then(blocking("cannot commit", () -> {
            objects.staging().publish();
            if (c.ref() != null) {
                refs.write(c.ref(), c.written().checksum().hex());
            }
            return c.written().checksum();
        })));
    }

    /** Points a ref ({@code name} or {@code remote:name}) at a commit that must be present. */
    public Mono<Void> setRef(String ref, Checksum commit) {
        return blocking("cannot write ref " + ref, () -> {
            RefNames.RefSpec spec = RefNames.parse(repo.path(), ref);
            if (!objects.has(ObjectType.COMMIT, commit)) {
                throw new ObjectNotFoundException(repo.path(), objects.name(ObjectType.COMMIT, commit),
                        "ref '" + ref + "'");
            }
            objects.staging().publish();
            refs.write(spec, commit.hex());
            return Boolean.TRUE;
        }).then();
    }

    /** Waits, without blocking, for a concurrent writer of an object this transaction needs. */
    private static Mono<Void> awaitStaged(CompletableFuture<Void> pending) {
        return pending == null ? Mono.empty() : Mono.fromFuture(pending, true);
    }

    private <T> Mono<T> blocking(String what, Callable<T> work) {
        return OstreeRepository.blocking(repo.path(), what, work, scheduler);
    }

    /** A commit object staged, and the ref to point at it once everything is published. */
    private record StagedCommit(ObjectWriter.Written written, RefNames.RefSpec ref) {
    }
}
