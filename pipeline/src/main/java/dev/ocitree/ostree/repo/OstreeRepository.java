package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.OstreeFormatException;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An OSTree repository on disk in mode archive ({@code archive-z2}), bare-user or bare-user-only,
 * byte-compatible with {@code ostree} 2022.7: what one tool writes the other reads, fscks, checks out
 * and (archive, over HTTP) pulls.
 *
 * <p><b>Threads.</b> Every method returns a cold {@link Mono}/{@link Flux}; blocking file work
 * (open, read, write, sync, rename, lock polling) runs on a bounded pool of daemon threads owned by
 * this object and stopped by {@link #close()} ({@link #scheduler()}), or, for a {@link Transaction},
 * on the scheduler its {@link WriteOptions} name. Nothing blocks the subscribing thread.
 *
 * <p><b>Writes</b> go through a {@link Transaction} ({@link #transaction(WriteOptions, Function)}; the
 * single-object methods here are a transaction each). Objects are content addressed: a present
 * object is never rewritten. New objects are staged, without a per-object fsync, in this process's
 * staging directory under {@code tmp/}, and published into {@code objects/XX/} — one file-system
 * sync, a rename per object, a second sync — before any ref is written ({@link Transaction#commit},
 * {@link Transaction#setRef}), as ostree does for a transaction: there is never a half-written object
 * under {@code objects/}, and a ref never names an object that is not on disk. {@code core.fsync=false}
 * in the config disables syncing, as in ostree.
 *
 * <p><b>Locking.</b> Writes hold the repository's shared lock (ostree's {@code .lock}, see
 * {@code RepoLock}); {@link #prune()} holds the exclusive lock. A conflicting holder that does not
 * release within {@code core.lock-timeout-secs} (default 30) fails the call with
 * {@link RepoLockedException}. A transaction holds the shared lock across all its writes so a
 * concurrent prune cannot delete objects that a commit-to-be references.
 *
 * <p><b>Buffers.</b> {@link #writeFile(FileMeta, long, Flux)} releases every chunk it receives,
 * also on error and cancellation; {@link #readFileContent} emits chunks the subscriber must release.
 */
public final class OstreeRepository implements AutoCloseable {

    private static final String[] SKELETON = {"refs/heads", "refs/mirrors", "refs/remotes", "state", "tmp/cache",
        "extensions"};

    private final Path path;
    private final RepoMode mode;
    private final RepoConfig config;
    private final Scheduler io;
    private final AtomicFiles files;
    private final LooseObjects objects;
    private final ContentObjects content;
    private final RefStore refs;
    private final RepoLock lock;
    private final long lockTimeoutSeconds;
    private final ObjectWriter writer;
    private final ScheduledThreadPoolExecutor ioThreads;

    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private OstreeRepository(Path path, RepoMode mode, RepoConfig config) {
        this.path = path;
        this.mode = mode;
        this.config = config;
        this.files = new AtomicFiles(path, config.fsync(path));
        this.objects = new LooseObjects(path, mode, files, new Staging(path, mode, config.fsync(path)));
        int cores = Runtime.getRuntime().availableProcessors();
        this.writer = new ObjectWriter(path, objects, config.zlibLevel(path));
        this.content = new ContentObjects(objects);
        this.refs = new RefStore(path, files);
        this.lock = RepoLock.of(path);
        this.lockTimeoutSeconds = config.lockTimeoutSeconds(path);
        this.ioThreads = daemonPool("ocitree-repo-" + path.getFileName(), Math.max(4, 2 * cores));
        this.io = Schedulers.fromExecutorService(ioThreads, "ocitree-repo-" + path.getFileName());
    }

    /**
     * The repository's own threads: daemon threads (an embedding program exits without waiting for
     * them), all started up front and kept until {@link #close()}, which lets queued tasks finish.
     * Started up front because creating a thread on submit takes the pool's lock, which may park a
     * non-blocking caller (BlockHound); handing a task to a full pool only queues it.
     */
    private static ScheduledThreadPoolExecutor daemonPool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, task -> {
            Thread t = new Thread(task, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.prestartAllCoreThreads();
        return pool;
    }

    /**
     * Creates a repository like {@code ostree init --mode=M} (same directories, same {@code config}
     * bytes) and opens it; an existing repository of the same mode is just opened. Blocking.
     *
     * @throws RepositoryException when the path holds a repository of another mode, is not usable, or
     *     (bare-user) its file system cannot store user xattrs
     */
    public static OstreeRepository init(Path path, RepoMode mode) {
        Path repo = path.toAbsolutePath().normalize();
        try {
            if (Files.exists(repo.resolve("config"))) {
                OstreeRepository existing = open(repo);
                if (existing.mode() != mode) {
                    existing.close();
                    throw new InvalidRepositoryException(repo, "already a repository of mode "
                            + existing.mode().configName() + ", not " + mode.configName());
                }
                return existing;
            }
            Files.createDirectories(repo);
            Files.writeString(repo.resolve("config"), RepoConfig.initialText(mode.configName()), StandardCharsets.UTF_8);
            for (String dir : SKELETON) {
                Files.createDirectories(repo.resolve(dir));
            }
            Files.createDirectories(repo.resolve("objects"));
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot create the repository: " + e, e);
        }
        OstreeRepository created = open(repo);
        if (mode == RepoMode.BARE_USER) {
            try {
                BareUserXattr.checkSupported(repo);
            } catch (RuntimeException e) {
                created.close();
                throw e;
            }
        }
        return created;
    }

    /**
     * Opens an existing repository (written by ocitree or ostree), taking the mode from its
     * {@code config}. Blocking but cheap: call it off event loops.
     *
     * @throws InvalidRepositoryException when the path is not a repository or the config is invalid
     * @throws UnknownRepoModeException when the mode is not archive-z2, bare-user or bare-user-only
     */
    public static OstreeRepository open(Path path) {
        Path repo = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(repo.resolve("objects")) || !Files.isRegularFile(repo.resolve("config"))) {
            throw new InvalidRepositoryException(repo, "not an OSTree repository (no config and objects/)");
        }
        RepoConfig config;
        try {
            config = RepoConfig.parse(repo, Files.readString(repo.resolve("config"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidRepositoryException(repo, "cannot read config: " + e, e);
        }
        RepoMode mode;
        try {
            mode = RepoMode.fromConfigName(config.mode());
        } catch (OstreeFormatException e) {
            throw new UnknownRepoModeException(repo, config.mode());
        }
        try {
            Files.createDirectories(repo.resolve("tmp"));
        } catch (IOException e) {
            throw new InvalidRepositoryException(repo, "cannot create tmp/: " + e, e);
        }
        return new OstreeRepository(repo, mode, config);
    }

    public RepoMode mode() {
        return mode;
    }

    public Path path() {
        return path;
    }

    /** {@code core.collection-id} of the config, or null. */
    public String collectionId() {
        return config.collectionId();
    }

    /**
     * Lets the tasks already queued on the repository's threads finish (each is short: one object,
     * or the cleanup of a cancelled stage, which releases its buffers) and stops the threads, then
     * publishes the objects written since the last commit (so none is lost) and removes the staging
     * area. Later operations fail; partial files go with the staging area. Blocking.
     */
    @Override
    public void close() {
        // tasks already queued run to their end (each is short: one object, or the cleanup of a
        // cancelled stage, which releases its buffers), new ones are refused
        shutDownAndWait(ioThreads);
        try {
            objects.staging().publish();
        } catch (IOException | RuntimeException e) {
            // the objects stay unpublished: nothing references them
        } finally {
            objects.staging().discard();
        }
    }

    private static void shutDownAndWait(ScheduledThreadPoolExecutor pool) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The repository's own bounded scheduler for blocking work (daemon threads, stopped by
     * {@link #close()}): the default of {@link WriteOptions#scheduler()}.
     */
    public Scheduler scheduler() {
        return io;
    }

    // ------------------------------------------------------------------ locking

    /**
     * Runs {@code work} while holding the repository's shared lock (the lock ostree takes for a
     * transaction), so that a concurrent prune cannot remove objects written but not yet referenced.
     */
    public <T> Mono<T> transaction(Mono<T> work) {
        return locked(false, work, io);
    }

    /**
     * Runs {@code work} with a {@link Transaction} while holding the repository's shared lock: the
     * public write path (object write stage, trees, commits, refs). The lock is taken, and every
     * file-system call of the transaction runs, on {@link WriteOptions#scheduler()} (default: the
     * repository's own threads); nothing blocks the subscribing thread.
     */
    public <T> Mono<T> transaction(WriteOptions options, Function<Transaction, ? extends Mono<T>> work) {
        Scheduler s = options.scheduler() == null ? io : options.scheduler();
        return locked(false, Mono.defer(() -> work.apply(newTransaction(s, options.writesInFlight()))), s);
    }

    /** A transaction's writers, without taking the lock (the caller holds it, or is a test). */
    Transaction newTransaction(Scheduler s, int writesInFlight) {
        return new Transaction(this, objects, refs, writer, s, writesInFlight);
    }

    private <T> Mono<T> locked(boolean exclusive, Mono<T> work) {
        return locked(exclusive, work, io);
    }

    private <T> Mono<T> locked(boolean exclusive, Mono<T> work, Scheduler s) {
        return Mono.usingWhen(lock.acquire(exclusive, lockTimeoutSeconds, s), h -> work,
                h -> release(h, s), (h, e) -> release(h, s), h -> release(h, s));
    }

    private static Mono<Void> release(RepoLock.Held held, Scheduler s) {
        return Mono.<Void>fromRunnable(held::release).subscribeOn(s);
    }

    /** Runs blocking repository work on the scheduler, translating I/O errors. */
    private <T> Mono<T> blocking(String what, Callable<T> work) {
        return blocking(path, what, work, io);
    }

    static <T> Mono<T> blocking(Path repo, String what, Callable<T> work, Scheduler s) {
        return Mono.fromCallable(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new RepositoryException(repo, what + ": " + e, e);
            }
        }).subscribeOn(s);
    }

    private <T> Mono<T> sharedBlocking(String what, Callable<T> work) {
        return locked(false, blocking(what, work));
    }

    // ------------------------------------------------------------------ object writes

    /**
     * Writes a content object from streamed content of a size known up front; the checksum is
     * known at the end. {@code meta} is canonicalised for the mode (bare-user-only: uid/gid 0,
     * mode & 0755, no xattrs) before hashing; its xattrs must be sorted by name. One object through
     * the write stage ({@link Transaction#writeObjects()}), in a transaction of its own.
     *
     * <p>Every chunk is released by this method, also on error and cancellation; if the write fails
     * before {@code content} is subscribed, {@code content} is drained and its chunks released.
     *
     * @throws ContentSizeMismatchException (as the error signal) when the stream is longer or shorter than {@code size}
     */
    public Mono<Checksum> writeFile(FileMeta meta, long size, Flux<ByteBuf> content) {
        AtomicBoolean subscribed = new AtomicBoolean();
        Flux<ByteBuf> source = content.doOnSubscribe(s -> subscribed.set(true));
        return Mono.fromCallable(() -> objectEntry(meta, size))
                .flatMap(entry -> transaction(WriteOptions.defaults(), tx -> Flux.concat(
                                Mono.just(new TarEvent.Entry(entry)),
                                source.map(TarEvent.Content::new),
                                Mono.just(new TarEvent.EntryEnd(entry)))
                        .transform(tx.writeObjects())
                        .single()
                        .map(StoredEntry::object)))
                .onErrorResume(e -> subscribed.get() ? Mono.error(e)
                        : source.doOnNext(ReferenceCountUtil::safeRelease).then(Mono.error(e)))
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .doOnDiscard(TarEvent.Content.class, TarEvent.Content::release);
    }

    /** The tar entry that stands for one content object in the write stage. */
    private TarEntry objectEntry(FileMeta meta, long size) {
        if (!meta.xattrs().isSorted()) {
            throw new IllegalArgumentException("xattrs of " + meta + " are not sorted by name");
        }
        if (meta.isSymlink() && size != 0) {
            throw new ContentSizeMismatchException(path, "symlink " + meta, 0, size);
        }
        return new TarEntry("object", meta.isSymlink() ? TarEntryType.SYMLINK : TarEntryType.REGULAR,
                meta.isSymlink() ? 0 : size, meta.permissions(), meta.uid() & 0xffffffffL, meta.gid() & 0xffffffffL,
                "", "", 0, meta.symlinkTarget(), 0, 0, new TreeMap<>(meta.xattrs().toMap()), 0);
    }

    /** Writes a content object whose bytes are in memory (a symlink: empty content). */
    public Mono<Checksum> writeFile(FileMeta meta, byte[] data) {
        return writeFile(meta, data.length, data.length == 0 ? Flux.empty()
                : Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(data))));
    }

    /** {@link Transaction#writeMetadata} in a transaction of its own. */
    public Mono<Checksum> writeMetadata(ObjectType type, byte[] serialized) {
        return transaction(WriteOptions.defaults(), tx -> tx.writeMetadata(type, serialized));
    }

    public Mono<Checksum> writeDirtree(Dirtree tree) {
        return Mono.fromCallable(tree::serialize).flatMap(b -> writeMetadata(ObjectType.DIR_TREE, b));
    }

    /** {@link Transaction#writeDirmeta} in a transaction of its own. */
    public Mono<Checksum> writeDirmeta(Dirmeta meta) {
        return transaction(WriteOptions.defaults(), tx -> tx.writeDirmeta(meta));
    }

    /** Whether an object is present. */
    public Mono<Boolean> has(ObjectType type, Checksum checksum) {
        return blocking("cannot stat " + objects.name(type, checksum), () -> objects.has(type, checksum));
    }

    /** {@link Transaction#writeTree} in a transaction of its own. */
    public Mono<Checksum> writeTree(MutableTree tree) {
        return transaction(WriteOptions.defaults(), tx -> tx.writeTree(tree));
    }

    /**
     * Imports a directory like {@code ostree commit --tree=dir=DIR}: lstat metadata of every entry
     * (including the root), user xattrs sorted by name (dropped in bare-user-only), regular files and
     * symlinks as content objects, devices/FIFOs/sockets rejected. Returns the root (dirtree, dirmeta).
     */
    public Mono<Dirtree.Subdir> writeDirectory(Path dir) {
        return transaction(new DirectoryImport(this, io).importRoot(dir));
    }

    // ------------------------------------------------------------------ commits and refs

    /** {@link Transaction#commit} in a transaction of its own. */
    public Mono<Checksum> commit(CommitRequest request) {
        return transaction(WriteOptions.defaults(), tx -> tx.commit(request));
    }

    /** {@link Transaction#setRef} in a transaction of its own. */
    public Mono<Void> setRef(String ref, Checksum commit) {
        return transaction(WriteOptions.defaults(), tx -> tx.setRef(ref, commit));
    }

    /** Deletes a ref; {@link RefNotFoundException} when it does not exist. */
    public Mono<Void> deleteRef(String ref) {
        return sharedBlocking("cannot delete ref " + ref, () -> {
            if (!refs.delete(RefNames.parse(path, ref))) {
                throw new RefNotFoundException(path, ref);
            }
            return Boolean.TRUE;
        }).then();
    }

    /**
     * Resolves a ref ({@code name}, {@code remote:name}, {@code remote/name}), a 64-hex checksum, or
     * either followed by {@code ^} (parent; repeatable) to a commit checksum. Does not check that the
     * commit exists; see {@link #resolveCommit}.
     */
    public Mono<Checksum> resolveRef(String rev) {
        return blocking("cannot resolve " + rev, () -> resolveBlocking(rev));
    }

    /** Like {@link #resolveRef} but fails with {@link ObjectNotFoundException} naming the ref when the commit is missing. */
    public Mono<Checksum> resolveCommit(String rev) {
        return blocking("cannot resolve " + rev, () -> {
            Checksum c = resolveBlocking(rev);
            if (!objects.has(ObjectType.COMMIT, c)) {
                throw new ObjectNotFoundException(path, objects.name(ObjectType.COMMIT, c), "ref '" + rev + "' points to it");
            }
            return c;
        });
    }

    private Checksum resolveBlocking(String rev) throws IOException {
        int carets = 0;
        String base = rev;
        while (base.endsWith("^")) {
            base = base.substring(0, base.length() - 1);
            carets++;
        }
        Checksum c;
        if (Checksum.isValidHex(base)) {
            c = Checksum.fromHex(base);
        } else {
            String hex = refs.resolve(base);
            if (hex == null) {
                throw new RefNotFoundException(path, base);
            }
            c = Checksum.fromHex(hex);
        }
        for (int i = 0; i < carets; i++) {
            Commit commit = loadCommitBlocking(c);
            if (commit.parent() == null) {
                throw new RefNotFoundException(path, rev + " (commit " + c.hex() + " has no parent)");
            }
            c = commit.parent();
        }
        return c;
    }

    /** Refs whose name starts with {@code prefix} ("" for all), local as {@code name}, remote as {@code remote:name}, sorted. */
    public Flux<String> refs(String prefix) {
        return blocking("cannot list refs", refs::list).flatMapIterable(l -> l)
                .filter(r -> r.startsWith(prefix == null ? "" : prefix));
    }

    // ------------------------------------------------------------------ reads

    /** Loads and verifies a commit ({@link CorruptObjectException} on a checksum mismatch or bad bytes). */
    public Mono<Commit> loadCommit(Checksum checksum) {
        return blocking("cannot read commit " + checksum, () -> loadCommitBlocking(checksum));
    }

    public Mono<Dirtree> loadDirtree(Checksum checksum) {
        return blocking("cannot read dirtree " + checksum, () -> loadDirtreeBlocking(checksum));
    }

    public Mono<Dirmeta> loadDirmeta(Checksum checksum) {
        return blocking("cannot read dirmeta " + checksum, () -> loadDirmetaBlocking(checksum));
    }

    /**
     * {@link #loadDirtree} for code that already runs on a scheduler that allows blocking (a tree
     * walk, a merge): reads and verifies the object on the calling thread.
     */
    public Dirtree readDirtree(Checksum checksum) {
        try {
            return loadDirtreeBlocking(checksum);
        } catch (IOException e) {
            throw new RepositoryException(path, "cannot read dirtree " + checksum + ": " + e, e);
        }
    }

    /** {@link #loadFileMeta} for code that already runs on a scheduler that allows blocking. */
    public FileMeta readFileMeta(Checksum checksum) {
        try {
            return content.stat(checksum).meta();
        } catch (IOException e) {
            throw new RepositoryException(path, "cannot read " + checksum + ": " + e, e);
        }
    }

    Commit loadCommitBlocking(Checksum checksum) throws IOException {
        return parse(ObjectType.COMMIT, checksum, Commit::parse);
    }

    Dirtree loadDirtreeBlocking(Checksum checksum) throws IOException {
        return parse(ObjectType.DIR_TREE, checksum, Dirtree::parse);
    }

    Dirmeta loadDirmetaBlocking(Checksum checksum) throws IOException {
        return parse(ObjectType.DIR_META, checksum, Dirmeta::parse);
    }

    private <T> T parse(ObjectType type, Checksum checksum, Function<byte[], T> parser) throws IOException {
        byte[] data = objects.readMetadata(type, checksum);
        try {
            return parser.apply(data);
        } catch (GVariantException | OstreeFormatException e) {
            throw new CorruptObjectException(path, objects.name(type, checksum), e.getMessage(), e);
        }
    }

    /**
     * The detached metadata ({@code .commitmeta}) of a commit, or empty when it has none
     * ({@link CorruptObjectException} when it does not parse).
     */
    public Mono<DetachedMetadata> loadDetachedMetadata(Checksum commit) {
        return blocking("cannot read detached metadata of " + commit, () -> {
            if (!objects.has(ObjectType.COMMIT_META, commit)) {
                return null;
            }
            return parse(ObjectType.COMMIT_META, commit, DetachedMetadata::parse);
        });
    }

    /** {@link Transaction#writeDetachedMetadata} in a transaction of its own. */
    public Mono<Void> writeDetachedMetadata(Checksum commit, DetachedMetadata metadata) {
        return transaction(WriteOptions.defaults(), tx -> tx.writeDetachedMetadata(commit, metadata).thenReturn(commit))
                .then();
    }

    /** The metadata of a content object (uid, gid, mode, symlink target, xattrs). */
    public Mono<FileMeta> loadFileMeta(Checksum checksum) {
        return blocking("cannot read " + checksum, () -> content.stat(checksum).meta());
    }

    /**
     * The content of a regular-file object (empty for a symlink), re-hashed while it streams: the
     * Flux fails with {@link CorruptObjectException} at its end if the object is corrupt. The
     * subscriber owns and must release each chunk.
     */
    public Flux<ByteBuf> readFileContent(Checksum checksum) {
        return blocking("cannot read " + checksum, () -> content.stat(checksum))
                .flatMapMany(stored -> content.content(stored, io));
    }

    /**
     * Lists a commit's tree like {@code ostree ls [-R] COMMIT PATH}: the entry at {@code path}, then
     * (for a directory) its children, recursively when asked; files before directories, each sorted.
     */
    public Flux<TreeEntry> list(Checksum commit, String path, boolean recursive) {
        return blocking("cannot list " + path, () -> new TreeWalk(this, content).list(commit, path, recursive))
                .flatMapIterable(l -> l);
    }

    /** Finds the content object at a path of a commit and streams it (see {@link #readFileContent}). */
    public Flux<ByteBuf> readFile(Checksum commit, String filePath) {
        return blocking("cannot read " + filePath, () -> new TreeWalk(this, content).file(commit, filePath))
                .flatMapMany(this::readFileContent);
    }

    /**
     * Checks a commit out into {@code dir} (which must not exist) like {@code ostree checkout -U}:
     * directories with their dirmeta permissions, files with their permissions (setuid/setgid
     * dropped), symlinks; ownership and xattrs are not applied. bare-user-only objects are
     * hard-linked when the destination is on the same file system, otherwise copied; copies are
     * verified against the checksum while they are written.
     */
    public Mono<Void> checkout(Checksum commit, Path dir) {
        return blocking("cannot check out " + commit.hex() + " to " + dir,
                () -> new Checkout(this, objects, content).run(commit, dir)).then();
    }

    /** Re-hashes every object, validates refs, and finds objects that commits reference but that are missing. */
    public Mono<FsckReport> fsck() {
        return blocking("fsck failed", () -> new Fsck(this, objects, content, refs).run());
    }

    /**
     * Deletes every object not reachable from a ref (through commits, their parents, trees and
     * files), holding the exclusive lock, like {@code ostree prune --refs-only}; also removes the
     * staging areas of dead processes. Same as {@code prune(PrunePolicy.KEEP_REFS)}.
     */
    public Mono<PruneReport> prune() {
        return prune(PrunePolicy.KEEP_REFS);
    }

    /**
     * Under the exclusive lock: removes this repository's staging area and those of dead processes
     * (a live process's area is locked and left alone), deletes the refs {@code policy} chooses,
     * then every object no remaining ref reaches, top-down (commits, then their dirtrees, then
     * dirmetas and files, with a sync between levels) so that a kill at any point never leaves a
     * commit pointing at missing objects.
     */
    public Mono<PruneReport> prune(PrunePolicy policy) {
        return locked(true, blocking("prune failed", () -> {
            objects.staging().discard();
            Staging.Sweep swept = Staging.removeOrphans(path);
            return new Prune(this, objects, refs).run(policy, swept);
        }));
    }

    @Override
    public String toString() {
        return "OstreeRepository[" + path + ", " + mode.configName() + "]";
    }
}
