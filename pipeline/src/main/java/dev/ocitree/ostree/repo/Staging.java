package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Objects are staged under their final relative name ({@code objects/XX/REST.EXT} below
 * {@code tmp/ocitree-staging-UUID/}); creating files spread over 256 directories, without a temp
 * file and a rename, is what keeps many small objects cheap (creating and deleting names in one
 * busy directory is far slower on ext4). A name is <em>claimed</em> before it is written, so two
 * writers of the same object (say two layers with the same file) write it once: the second waits
 * for the first ({@link #claim}).
 *
 * <p>Blocking (file I/O); thread-safe. One staging directory per open repository, created on the
 * first write and removed by {@link #discard()} (close, prune): objects staged but never published
 * are unreferenced by definition.
 */
final class Staging {

    static final String PREFIX = "ocitree-staging-";

    private final Path repo;
    private final Path dir;
    private final boolean fsync;
    /** Relative name → its writer's completion; completed normally once the staged file is whole. */
    private final Map<String, CompletableFuture<Void>> claims = new ConcurrentHashMap<>();
    private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();
    private final AtomicLong temps = new AtomicLong();

    Staging(Path repo, boolean fsync) {
        this.repo = repo;
        this.dir = repo.resolve("tmp").resolve(PREFIX + UUID.randomUUID());
        this.fsync = fsync;
    }

    /**
     * Claims {@code relative} for writing. Returns null when the caller now owns the name and must
     * end with {@link #done} or {@link #abandon}; otherwise the future of the writer that owns it
     * (completed normally when the object is staged; exceptionally when that writer gave up, and
     * the caller should claim again).
     */
    CompletableFuture<Void> claim(String relative) {
        return claims.putIfAbsent(relative, new CompletableFuture<>());
    }

    /** Marks a claimed name as staged (its file complete) and wakes writers waiting for it. */
    void done(String relative) {
        CompletableFuture<Void> f = claims.get(relative);
        if (f != null) {
            f.complete(null);
        }
    }

    /** Gives up a claim (the write failed): removes the partial file, wakes waiters with an error. */
    void abandon(String relative) {
        CompletableFuture<Void> f = claims.remove(relative);
        try {
            Files.deleteIfExists(dir.resolve(relative));
        } catch (IOException e) {
            // best effort: the whole staging directory is removed by discard()
        }
        if (f != null) {
            f.completeExceptionally(new IOException("the writer of " + relative + " gave up"));
        }
    }

    /** The staged file of {@code relative} when it is complete, else null. */
    Path staged(String relative) {
        CompletableFuture<Void> f = claims.get(relative);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? dir.resolve(relative) : null;
    }

    /** Where the owner of a claim writes {@code relative}; its parent directory exists. */
    Path pathFor(String relative) throws IOException {
        Path p = dir.resolve(relative);
        ensureDirectory(p.getParent());
        return p;
    }

    /** A fresh path for a temp file (content whose name is known only at its end). */
    Path tempPath() throws IOException {
        ensureDirectory(dir);
        return dir.resolve("tmp-" + temps.incrementAndGet());
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
     */
    synchronized void publish() throws IOException {
        List<String> ready = new ArrayList<>();
        claims.forEach((name, f) -> {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                ready.add(name);
            }
        });
        if (ready.isEmpty()) {
            return;
        }
        if (fsync) {
            FileSystemSync.sync(dir, () -> ready.stream().map(dir::resolve).toList());
        }
        Set<Path> parents = new HashSet<>();
        for (String name : ready) {
            Path target = repo.resolve(name);
            Path parent = target.getParent();
            if (parents.add(parent) && !Files.isDirectory(parent)) {
                try {
                    Files.createDirectories(parent);
                } catch (FileAlreadyExistsException e) {
                    // a concurrent writer created it
                }
            }
            Files.move(dir.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
            claims.remove(name);
        }
        if (fsync) {
            FileSystemSync.sync(repo, () -> List.copyOf(parents));
        }
    }

    /** Deletes the staging directory and forgets every claim (objects not published are garbage). */
    void discard() {
        claims.forEach((name, f) -> f.completeExceptionally(new IOException("staging discarded")));
        claims.clear();
        createdDirs.clear();
        deleteTree(dir);
    }

    /** Removes staging directories left by other processes (call with the exclusive lock held). */
    static void removeOrphans(Path repo) throws IOException {
        Path tmp = repo.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort; a later prune removes what is left
        }
    }
}
