package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durable, atomic placement of small non-object files (refs) inside one repository (all methods
 * block: call them on the repository's scheduler). A file is written to {@code REPO/tmp/},
 * fsynced, then renamed over its final name, so readers (and a crash) see either nothing or the
 * whole file; directories whose entries changed are fsynced by {@link #syncDirectories()}.
 * Objects take another path: {@link Staging}. {@code core.fsync=false} turns all syncing off, as
 * in ostree.
 */
final class AtomicFiles {

    static final Set<PosixFilePermission> RW_R_R = PosixFilePermissions.fromString("rw-r--r--");

    private final Path repo;
    private final Path tmp;
    private final boolean fsync;
    private final Set<Path> dirtyDirectories = ConcurrentHashMap.newKeySet();

    AtomicFiles(Path repo, boolean fsync) {
        this.repo = repo;
        this.tmp = repo.resolve("tmp");
        this.fsync = fsync;
    }

    /** A fresh, not yet existing path in {@code REPO/tmp/}. */
    private Path newTempPath(String purpose) {
        return tmp.resolve("ocitree-" + purpose + "-" + UUID.randomUUID());
    }

    /** Forces a written channel to disk when fsync is on. */
    private void force(FileChannel channel) throws IOException {
        if (fsync) {
            channel.force(true);
        }
    }

    /**
     * Renames {@code staged} to {@code target}, creating the parent directory if needed, and
     * remembers the parent for {@link #syncDirectories()}. An existing target is replaced (rename(2)
     * is atomic), which is harmless for content-addressed names.
     */
    private void install(Path staged, Path target) throws IOException {
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException e) {
                // a concurrent writer created it
            }
            dirtyDirectories.add(parent.getParent());
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + staged + " to " + target + " atomically", e);
        }
        dirtyDirectories.add(parent);
    }

    /** Writes {@code data} to {@code target} atomically (temp file, fsync, rename), mode 0644. */
    void writeAtomically(Path target, byte[] data, String purpose) throws IOException {
        Path staged = newTempPath(purpose);
        try {
            try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                force(ch);
            }
            Files.setPosixFilePermissions(staged, RW_R_R);
            install(staged, target);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Remembers a directory whose entries changed (e.g. a deletion) for the next {@link #syncDirectories()}. */
    void markDirty(Path dir) {
        dirtyDirectories.add(dir);
    }

    /** Fsyncs every directory that received a rename since the last call. */
    void syncDirectories() throws IOException {
        if (!fsync) {
            dirtyDirectories.clear();
            return;
        }
        for (Path dir : Set.copyOf(dirtyDirectories)) {
            dirtyDirectories.remove(dir);
            fsyncDirectory(dir);
        }
    }

    /** Sets all 12 permission bits (setuid/setgid/sticky included), like chmod(2). */
    static void chmod(Path file, int bits) throws IOException {
        Files.setAttribute(file, "unix:mode", bits & 07777, LinkOption.NOFOLLOW_LINKS);
    }

    /** Fsyncs one directory (its entries). */
    void fsyncDirectory(Path dir) throws IOException {
        if (fsync && dir.startsWith(repo)) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }
}
