package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.OstreeFormatException;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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
 * (open, read, write, fsync, rename, lock polling) runs on a bounded elastic scheduler owned by this
 * object and disposed by {@link #close()}. Hashing and deflate of streamed content run there too.
 *
 * <p><b>Writes.</b> Objects are content addressed: a present object is never rewritten. Each object
 * is written to a temp file in {@code tmp/}, fsynced, then renamed into {@code objects/XX/}, so
 * there is never a half-written object under {@code objects/}; the directories that received objects
 * are fsynced before any ref is written ({@link #commit}, {@link #setRef}). {@code core.fsync=false}
 * in the config disables syncing, as in ostree.
 *
 * <p><b>Locking.</b> Writes hold the repository's shared lock (ostree's {@code .lock}, see
 * {@code RepoLock}); {@link #prune()} holds the exclusive lock. A conflicting holder that does not
 * release within {@code core.lock-timeout-secs} (default 30) fails the call with
 * {@link RepoLockedException}. {@link #transaction(Mono)} holds the shared lock across many writes so
 * a concurrent prune cannot delete objects that a commit-to-be references.
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
    private final ScheduledThreadPoolExecutor workerThreads;
    private final ScheduledThreadPoolExecutor ioThreads;

    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private OstreeRepository(Path path, RepoMode mode, RepoConfig config) {
        this.path = path;
        this.mode = mode;
        this.config = config;
        this.files = new AtomicFiles(path, config.fsync(path));
        this.objects = new LooseObjects(path, mode, files, new Staging(path, config.fsync(path)));
        int cores = Runtime.getRuntime().availableProcessors();
        this.workerThreads = daemonPool("ocitree-write-" + path.getFileName(), Math.max(2, cores));
        this.writer = new ObjectWriter(path, objects, config.zlibLevel(path), workerThreads);
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
        shutDownAndWait(workerThreads);
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
     * The bounded scheduler on which this repository does its blocking work. A pipeline stage may
     * {@code publishOn} it to call an {@link #objectWriter()} directly.
     */
    public Scheduler scheduler() {
        return io;
    }

    /** Blocking per-object writes for stages running on {@link #scheduler()} inside {@link #transaction}. */
    public ObjectWriter objectWriter() {
        return writer;
    }

    // ------------------------------------------------------------------ locking

    /**
     * Runs {@code work} while holding the repository's shared lock (the lock ostree takes for a
     * transaction), so that a concurrent prune cannot remove objects written but not yet referenced.
     */
    public <T> Mono<T> transaction(Mono<T> work) {
        return locked(false, work);
    }

    private <T> Mono<T> locked(boolean exclusive, Mono<T> work) {
        return Mono.usingWhen(lock.acquire(exclusive, lockTimeoutSeconds, io), h -> work,
                h -> release(h), (h, e) -> release(h), h -> release(h));
    }

    private Mono<Void> release(RepoLock.Held held) {
        return Mono.<Void>fromRunnable(held::release).subscribeOn(io);
    }

    /** Runs blocking repository work on the scheduler, translating I/O errors. */
    private <T> Mono<T> blocking(String what, Callable<T> work) {
        return Mono.fromCallable(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new RepositoryException(path, what + ": " + e, e);
            }
        }).subscribeOn(io);
    }

    private <T> Mono<T> sharedBlocking(String what, Callable<T> work) {
        return locked(false, blocking(what, work));
    }

    // ------------------------------------------------------------------ object writes

    /**
     * Writes a content object from streamed content of a size known up front (e.g. from a tar
     * header); the checksum is known at the end. {@code meta} is canonicalised for the mode
     * (bare-user-only: uid/gid 0, mode & 0755, no xattrs) before hashing. The object is renamed into
     * {@code objects/} only when complete and only if absent.
     *
     * <p>Every chunk is released by this method, also on error and cancellation; if the write fails
     * before {@code content} is subscribed, {@code content} is drained and its chunks released.
     *
     * @throws ContentSizeMismatchException (as the error signal) when the stream is longer or shorter than {@code size}
     */
    public Mono<Checksum> writeFile(FileMeta meta, long size, Flux<ByteBuf> content) {
        FileMeta m = meta.canonical(mode);
        AtomicBoolean subscribed = new AtomicBoolean();
        Flux<ByteBuf> source = content.doOnSubscribe(s -> subscribed.set(true));
        Mono<Checksum> write = size <= ObjectWriter.INLINE_LIMIT ? writeInline(m, size, source)
                : writeStreamed(m, size, source);
        return locked(false, write)
                .onErrorResume(e -> subscribed.get() ? Mono.error(e)
                        : source.doOnNext(ReferenceCountUtil::safeRelease).then(Mono.error(e)))
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    /**
     * Small content: gathered in memory (at most {@link ObjectWriter#INLINE_LIMIT} bytes), hashed,
     * then written once under its final name, and not at all when the object is present: one
     * blocking step.
     */
    private Mono<Checksum> writeInline(FileMeta m, long size, Flux<ByteBuf> source) {
        long[] received = new long[1];
        Flux<ByteBuf> bounded = source.handle((chunk, sink) -> {
            received[0] += chunk.readableBytes();
            if (received[0] > size) {
                chunk.release();
                sink.error(new ContentSizeMismatchException(path, "content of " + m, size, received[0]));
            } else {
                sink.next(chunk);
            }
        });
        return bounded.collectList().flatMap(chunks -> {
            // the chunks belong to whoever takes them first: the blocking step, or the cancellation
            AtomicBoolean untaken = new AtomicBoolean(true);
            return blocking("cannot store content of " + m, () -> {
                if (!untaken.compareAndSet(true, false)) {
                    throw new CancellationException("write of " + m + " cancelled");
                }
                try {
                    return writer.writeFile(m, size, chunks);
                } finally {
                    chunks.forEach(ReferenceCountUtil::safeRelease);
                }
            }).doFinally(signal -> {
                if (untaken.compareAndSet(true, false)) {
                    chunks.forEach(ReferenceCountUtil::safeRelease);
                }
            });
        });
    }

    /** Large content: streamed into a temp file while hashed, then renamed to its name. */
    private Mono<Checksum> writeStreamed(FileMeta m, long size, Flux<ByteBuf> source) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> writer.beginFile(m, size)).subscribeOn(io),
                upload -> source.publishOn(io, 4)
                        .<Void>handle((chunk, sink) -> {
                            try {
                                upload.write(chunk);
                            } finally {
                                chunk.release();
                            }
                        })
                        .then(Mono.fromCallable(upload::finish).subscribeOn(io)),
                upload -> abort(upload), (upload, e) -> abort(upload), upload -> abort(upload));
    }

    private Mono<Void> abort(ObjectWriter.Upload upload) {
        return Mono.<Void>fromRunnable(upload::abort).subscribeOn(io);
    }

    /** Writes a content object whose bytes are in memory (a symlink: empty content). */
    public Mono<Checksum> writeFile(FileMeta meta, byte[] data) {
        return writeFile(meta, data.length, data.length == 0 ? Flux.empty()
                : Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(data))));
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
        return sharedBlocking("cannot write " + objects.name(type, checksum), () -> {
            objects.writeMetadata(type, checksum, serialized);
            return checksum;
        });
    }

    public Mono<Checksum> writeDirtree(Dirtree tree) {
        return Mono.fromCallable(tree::serialize).flatMap(b -> writeMetadata(ObjectType.DIR_TREE, b));
    }

    public Mono<Checksum> writeDirmeta(Dirmeta meta) {
        return Mono.fromCallable(() -> meta.canonical(mode).serialize())
                .flatMap(b -> writeMetadata(ObjectType.DIR_META, b));
    }

    /** Whether an object is present. */
    public Mono<Boolean> has(ObjectType type, Checksum checksum) {
        return blocking("cannot stat " + objects.name(type, checksum), () -> objects.has(type, checksum));
    }

    /**
     * Serialises every dirtree of {@code tree} bottom-up and stores them (its dirmetas must already
     * be stored, e.g. with {@link #writeDirmeta}); returns the root dirtree checksum. The root's
     * dirmeta is {@code tree.meta()}.
     */
    public Mono<Checksum> writeTree(MutableTree tree) {
        return Mono.fromCallable(() -> {
            Map<Checksum, byte[]> dirtrees = new LinkedHashMap<>();
            Dirtree.Subdir root = tree.write((dt, cs) -> dirtrees.putIfAbsent(cs, dt.serialize()));
            return Map.entry(root.tree(), dirtrees);
        }).flatMap(r -> sharedBlocking("cannot write dirtrees", () -> {
            for (Map.Entry<Checksum, byte[]> e : r.getValue().entrySet()) {
                objects.writeMetadata(ObjectType.DIR_TREE, e.getKey(), e.getValue());
            }
            return r.getKey();
        }));
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

    /**
     * Writes a commit object and, when the request names a ref, points the ref at it after the
     * objects are synced. Fails with {@link ObjectNotFoundException} when the root tree or dirmeta is
     * not in the repository. Returns the commit checksum.
     */
    public Mono<Checksum> commit(CommitRequest request) {
        return sharedBlocking("cannot commit", () -> {
            for (Map.Entry<ObjectType, Checksum> e : List.of(Map.entry(ObjectType.DIR_TREE, request.rootTree()),
                    Map.entry(ObjectType.DIR_META, request.rootMeta()))) {
                if (!objects.has(e.getKey(), e.getValue())) {
                    throw new ObjectNotFoundException(path, objects.name(e.getKey(), e.getValue()), "root of the commit");
                }
            }
            RefNames.RefSpec spec = request.ref() == null ? null : RefNames.parse(path, request.ref());
            if (spec != null && spec.remote() != null) {
                throw new InvalidRefException(path, request.ref(), "commits move local branches only");
            }
            Checksum parent = request.parent();
            if (parent == null && request.parentFromRef() && spec != null) {
                String current = refs.read(spec);
                parent = current == null ? null : Checksum.fromHex(current);
            }
            Map<String, Variant> metadata = new LinkedHashMap<>(request.metadata());
            if (spec != null && request.refBinding()) {
                metadata.put(Commit.REF_BINDING, Commit.refBinding(List.of(spec.ref())));
                if (config.collectionId() != null) {
                    metadata.put(Commit.COLLECTION_BINDING, Variant.string(config.collectionId()));
                }
            }
            Commit commit = new Commit(metadata, parent, request.subject(), request.body(), request.timestampSeconds(),
                    request.rootTree(), request.rootMeta());
            byte[] bytes = commit.serialize();
            Checksum checksum = Checksum.sha256(bytes);
            objects.writeMetadata(ObjectType.COMMIT, checksum, bytes);
            objects.staging().publish();
            if (spec != null) {
                refs.write(spec, checksum.hex());
            }
            return checksum;
        });
    }

    /** Points a ref ({@code name} or {@code remote:name}) at a commit that must be present. */
    public Mono<Void> setRef(String ref, Checksum commit) {
        return sharedBlocking("cannot write ref " + ref, () -> {
            RefNames.RefSpec spec = RefNames.parse(path, ref);
            if (!objects.has(ObjectType.COMMIT, commit)) {
                throw new ObjectNotFoundException(path, objects.name(ObjectType.COMMIT, commit), "ref '" + ref + "'");
            }
            objects.staging().publish();
            refs.write(spec, commit.hex());
            return Boolean.TRUE;
        }).then();
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

    /** Stores the detached metadata of a commit (left alone when the commit already has some). */
    public Mono<Void> writeDetachedMetadata(Checksum commit, DetachedMetadata metadata) {
        byte[] bytes = metadata.serialize();
        return sharedBlocking("cannot write " + objects.name(ObjectType.COMMIT_META, commit), () -> {
            objects.writeMetadata(ObjectType.COMMIT_META, commit, bytes);
            return commit;
        }).then();
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
     * files), holding the exclusive lock, like {@code ostree prune --refs-only}.
     */
    public Mono<PruneReport> prune() {
        return locked(true, blocking("prune failed", () -> {
            objects.staging().discard();
            Staging.removeOrphans(path);
            return new Prune(this, objects, refs).run();
        }));
    }

    @Override
    public String toString() {
        return "OstreeRepository[" + path + ", " + mode.configName() + "]";
    }
}
