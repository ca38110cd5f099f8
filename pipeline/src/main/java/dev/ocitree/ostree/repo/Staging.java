package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where new objects are written before they are published into {@code objects/} — ostree's
 * transaction staging directory ({@code tmp/staging-*}), with the same durability: objects are
 * written without a per-object fsync, and {@link #publish} syncs the file system once, renames every
 * complete staged object into {@code objects/XX/}, and syncs again, before the caller writes a ref.
 * So {@code objects/} never holds a half-written object, also after a crash, and a ref never names
 * an object that is not on disk.
 *
 * <p>Objects are staged under their final name, without a temp file, in batch directories of
 * {@value #BATCH} per writing thread ({@code tmp/ocitree-staging-UUID/bN/XXREST.EXT}, see
 * {@link #pathFor}). A name is <em>claimed</em> before it is written, so two writers of the same
 * object (say two layers with the same file) write it once: the second gets the first's
 * completion ({@link #claim}).
 *
 * <p><b>Liveness.</b> As ostree locks each {@code tmp/staging-*} directory, a staging area here is
 * owned through a lock file beside it, {@code tmp/ocitree-staging-UUID.lock}, created and locked
 * before the directory exists and held until the area is discarded. An area whose lock file can be
 * locked (or that has none) belongs to a process that died: the next write of any process
 * ({@link #pathFor}, {@link #tempPath}: opening an area sweeps {@code tmp/}) and every prune
 * remove it ({@link #removeOrphans}). Areas of live processes, and of other repositories open in
 * this JVM, are never touched.
 *
 * <p>Blocking (file I/O); thread-safe. One staging area per open repository at a time, opened on
 * the first write and removed by {@link #discard()} (close, prune): objects staged but never
 * published are unreferenced by definition.
 */
final class Staging {

    static final String PREFIX = "ocitree-staging-";
    static final String LOCK_SUFFIX = ".lock";
    /** Objects a writing thread stages in one directory before it starts another. */
    static final int BATCH = 256;
    /** Objects staged since the last publish at which a writer publishes them ({@link #publishSome}). */
    static final int PUBLISH_EVERY = 4096;
    /** Lock files of the staging areas open in this JVM: never probed (closing a probe's descriptor would drop their POSIX lock). */
    private static final Set<Path> LIVE_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    /** Staging areas of dead processes removed by one sweep, and the bytes they held. */
    record Sweep(int areas, long bytes) {
        static final Sweep NONE = new Sweep(0, 0);

        Sweep plus(Sweep other) {
            return new Sweep(areas + other.areas, bytes + other.bytes);
        }
    }

    /** An open staging area: its directory and the held lock that marks it live. */
    private record Area(Path dir, Path lockFile, FileChannel channel, FileLock lock) {
    }

    /** An object of the repository: a staged object's key. */
    record Key(ObjectType type, Checksum checksum) {
    }

    /**
     * A claimed object: its writer's completion (completed normally once the staged file is whole)
     * and the batch directory it is staged in. One small object per staged object, the name
     * computed when needed: an import holds tens of thousands of these until it commits.
     */
    private static final class Claim extends CompletableFuture<Void> {
        /** {@code N} of {@code bN/}, set by {@link #pathFor}; -1 until then. */
        volatile int batch = -1;
    }

    private final Path repo;
    private final Path tmp;
    private final RepoMode mode;
    private final boolean fsync;
    private volatile Area area;
    private final Map<Key, Claim> claims = new ConcurrentHashMap<>();
    private final AtomicInteger stagedSincePublish = new AtomicInteger();
    private final AtomicBoolean publishing = new AtomicBoolean();
    /** Directories under {@code objects/} renamed into since the last full publish synced them; guarded by this. */
    private final Set<Path> movedInto = new HashSet<>();
    private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();
    private final AtomicLong temps = new AtomicLong();
    private final AtomicInteger batches = new AtomicInteger();
    /** Each writing thread's batch directory: its number and how many objects it holds. */
    private final ThreadLocal<int[]> batch = ThreadLocal.withInitial(() -> new int[] {-1, BATCH});

    Staging(Path repo, RepoMode mode, boolean fsync) {
        this.repo = repo;
        this.tmp = repo.resolve("tmp");
        this.mode = mode;
        this.fsync = fsync;
    }

    /** The open area, opening (and locking) one first, which also sweeps areas of dead processes. */
    private Area area() throws IOException {
        Area a = area;
        if (a != null) {
            return a;
        }
        synchronized (this) {
            if (area == null) {
                area = open();
                removeOrphans(repo);
            }
            return area;
        }
    }

    /**
     * Creates and locks {@code tmp/ocitree-staging-UUID.lock}, then creates the directory. A sweeper
     * that locked the new file first (taking it for dead) deletes it before unlocking, so a lock
     * won on a file that is no longer there is worthless: try another name.
     */
    private Area open() throws IOException {
        Files.createDirectories(tmp);
        for (int attempt = 0; ; attempt++) {
            String name = PREFIX + UUID.randomUUID();
            Path lockFile = tmp.resolve(name + LOCK_SUFFIX);
            LIVE_IN_THIS_JVM.add(lockFile);
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null && Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                    Path dir = tmp.resolve(name);
                    Files.createDirectory(dir);
                    return new Area(dir, lockFile, channel, lock);
                }
            } catch (IOException | RuntimeException e) {
                if (attempt >= 3) {
                    closeQuietly(channel);
                    LIVE_IN_THIS_JVM.remove(lockFile);
                    throw e;
                }
            }
            closeQuietly(channel);
            LIVE_IN_THIS_JVM.remove(lockFile);
        }
    }

    /**
     * Claims {@code key} for writing. Returns null when the caller now owns the object and must
     * end with {@link #done} or {@link #abandon}; otherwise the future of the writer that owns it
     * (completed normally when the object is staged; exceptionally when that writer gave up, and
     * the caller should claim again).
     */
    CompletableFuture<Void> claim(Key key) {
        return claims.putIfAbsent(key, new Claim());
    }

    /** Marks a claimed object as staged (its file complete) and wakes writers waiting for it. */
    void done(Key key) {
        Claim c = claims.get(key);
        if (c != null) {
            c.complete(null);
            stagedSincePublish.incrementAndGet();
        }
    }

    /** Gives up a claim (the write failed): removes the partial file, wakes waiters with an error. */
    void abandon(Key key) {
        Claim c = claims.remove(key);
        Area a = area;
        if (a != null && c != null && c.batch >= 0) {
            try {
                Files.deleteIfExists(a.dir().resolve(stagedName(key, c.batch)));
            } catch (IOException e) {
                // best effort: the whole staging directory is removed by discard()
            }
        }
        if (c != null) {
            c.completeExceptionally(new IOException("the writer of " + key.type().relativePath(key.checksum(), mode)
                    + " gave up"));
        }
    }

    /** The staged file of {@code key} when it is complete, else null. */
    Path staged(Key key) {
        Claim c = claims.get(key);
        Area a = area;
        return a != null && c != null && c.isDone() && !c.isCompletedExceptionally()
                ? a.dir().resolve(stagedName(key, c.batch)) : null;
    }

    /** {@code bN/XXREST.EXT}: where batch {@code N} stages the object. */
    private String stagedName(Key key, int batch) {
        return "b" + batch + "/" + key.checksum().hex() + "." + key.type().extension(mode);
    }

    /**
     * Where the owner of a claim writes {@code key}; its parent directory exists. Each thread
     * stages {@value #BATCH} objects to a directory of its own, then starts the next: creating
     * files in a small directory made just before keeps their inodes together, as {@code tar -x}
     * does, where spreading them over the 256 hash directories scatters them (2-4x slower for
     * 47,000 files on ext4); the rename into {@code objects/XX/} at publish only adds an entry.
     */
    Path pathFor(Key key) throws IOException {
        int[] b = batch.get();
        if (b[1] >= BATCH) {
            b[0] = batches.getAndIncrement();
            b[1] = 0;
        }
        b[1]++;
        Claim c = claims.get(key);
        if (c == null) {
            throw new IllegalStateException("not claimed: " + key);
        }
        c.batch = b[0];
        Path dir = area().dir().resolve("b" + b[0]);
        ensureDirectory(dir);
        return dir.resolve(key.checksum().hex() + "." + key.type().extension(mode));
    }

    /** A fresh path for a temp file (content whose name is known only at its end). */
    Path tempPath() throws IOException {
        Path d = area().dir();
        ensureDirectory(d);
        return d.resolve("tmp-" + temps.incrementAndGet());
    }

    private void ensureDirectory(Path d) throws IOException {
        if (!createdDirs.contains(d)) {
            Files.createDirectories(d);
            createdDirs.add(d);
        }
    }

    /**
     * Moves every complete staged object into the repository: sync (when fsync is on), rename each
     * into {@code objects/XX/} (replacing an equal object that appeared meanwhile), sync again.
     * Objects still being written stay staged for a later publish.
     *
     * <p>Bottom-up: content, dirmetas and dirtrees first, then (after a sync) commits and their
     * detached metadata, so a kill in the middle never leaves a commit in {@code objects/} whose
     * tree is still staged (ostree fsck checks every commit object, referenced or not).
     */
    synchronized void publish() throws IOException {
        publish(true);
    }

    /**
     * Publishes the complete objects other than commits once {@value #PUBLISH_EVERY} objects have
     * been staged since the last publish. Writers call it after each object, so the sync and the
     * renames of a big import happen while it still decodes, on a writing thread, instead of all
     * at its end (for the 47,000 objects of a one-layer /usr/share import they were a quarter of
     * its wall time, serial). One writer publishes at a time; the others go on writing. The same
     * durability as {@link #publish}: objects are synced before they are renamed, and the
     * directories they went into are synced by the full publish that precedes any ref.
     */
    void publishSome() throws IOException {
        if (stagedSincePublish.get() < PUBLISH_EVERY || !publishing.compareAndSet(false, true)) {
            return;
        }
        try {
            synchronized (this) {
                publish(false);
            }
        } finally {
            publishing.set(false);
        }
    }

    private void publish(boolean all) throws IOException {
        stagedSincePublish.set(0);
        List<Key> ready = new ArrayList<>();
        claims.forEach((key, c) -> {
            if (c.isDone() && !c.isCompletedExceptionally() && (all || !isCommit(key))) {
                ready.add(key);
            }
        });
        Area a = area;
        if (a == null || ready.isEmpty() && (!all || movedInto.isEmpty())) {
            return;
        }
        Path dir = a.dir();
        if (fsync && !ready.isEmpty()) {
            FileSystemSync.sync(dir, () -> ready.stream().map(k -> dir.resolve(stagedName(k, claims.get(k).batch))).toList());
        }
        List<Key> commits = ready.stream().filter(Staging::isCommit).toList();
        moveAll(dir, ready.stream().filter(k -> !isCommit(k)).toList());
        if (!all) {
            return;
        }
        if (fsync && !commits.isEmpty() && !movedInto.isEmpty()) {
            FileSystemSync.sync(repo, () -> List.copyOf(movedInto));
        }
        moveAll(dir, commits);
        if (fsync) {
            FileSystemSync.sync(repo, () -> List.copyOf(movedInto));
        }
        movedInto.clear();
    }

    private static boolean isCommit(Key key) {
        return key.type() == ObjectType.COMMIT || key.type() == ObjectType.COMMIT_META;
    }

    private void moveAll(Path dir, List<Key> keys) throws IOException {
        for (Key key : keys) {
            Path target = repo.resolve(key.type().relativePath(key.checksum(), mode));
            Path parent = target.getParent();
            if (movedInto.add(parent) && !Files.isDirectory(parent)) {
                try {
                    Files.createDirectories(parent);
                } catch (FileAlreadyExistsException e) {
                    // a concurrent writer created it
                }
            }
            Files.move(dir.resolve(stagedName(key, claims.get(key).batch)), target, StandardCopyOption.ATOMIC_MOVE);
            claims.remove(key);
        }
    }

    /**
     * Deletes the staging area and forgets every claim (objects not published are garbage), then
     * unlocks and deletes its lock file; the next write opens a new area.
     */
    synchronized void discard() {
        claims.forEach((key, c) -> c.completeExceptionally(new IOException("staging discarded")));
        claims.clear();
        movedInto.clear();
        createdDirs.clear();
        Area a = area;
        area = null;
        if (a != null) {
            deleteTree(a.dir());
            try {
                Files.deleteIfExists(a.lockFile());
            } catch (IOException e) {
                // an unlocked lock file without its directory is swept as an orphan
            }
            closeQuietly(a.channel());
            LIVE_IN_THIS_JVM.remove(a.lockFile());
        }
    }

    /**
     * Removes the staging areas of dead processes: every {@code tmp/ocitree-staging-*} whose lock
     * file this process can lock, or that has no lock file. Areas open in this JVM are skipped
     * without being probed. Safe at any time (no repository lock needed); blocking.
     */
    static Sweep removeOrphans(Path repo) throws IOException {
        Path tmp = repo.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return Sweep.NONE;
        }
        Set<String> names = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX))
                    .map(n -> n.endsWith(LOCK_SUFFIX) ? n.substring(0, n.length() - LOCK_SUFFIX.length()) : n)
                    .forEach(names::add);
        }
        Sweep sweep = Sweep.NONE;
        for (String name : names) {
            sweep = sweep.plus(removeIfDead(tmp.resolve(name), tmp.resolve(name + LOCK_SUFFIX)));
        }
        return sweep;
    }

    private static Sweep removeIfDead(Path dir, Path lockFile) throws IOException {
        if (LIVE_IN_THIS_JVM.contains(lockFile)) {
            return Sweep.NONE;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException e) {
            // no lock file: left by a process that died before locking, or by an interrupted sweep
            return remove(dir);
        }
        try (channel) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return Sweep.NONE;
            }
            if (lock == null) {
                return Sweep.NONE;
            }
            // the owner is dead: remove the directory first, then its lock file, then unlock
            Sweep removed = remove(dir);
            Files.deleteIfExists(lockFile);
            return new Sweep(1, removed.bytes());
        }
    }

    private static Sweep remove(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Sweep.NONE;
        }
        long bytes = deleteTree(dir);
        return new Sweep(1, bytes);
    }

    /** Deletes a tree bottom-up; returns the bytes of the regular files deleted. Best effort. */
    private static long deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long bytes = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    Files.deleteIfExists(p);
                    if (a.isRegularFile()) {
                        bytes += a.size();
                    }
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort; a later sweep removes what is left
        }
        return bytes;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
