package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The {@code objects/XX/REST.type} store of one repository (OSTREE-FORMAT.md §3.3): paths,
 * existence, verified metadata reads and writes. New objects go to the {@link Staging} area and
 * count as present from the moment they are complete there; {@link Staging#publish} moves them into
 * {@code objects/}. Every method blocks: call on the repository's scheduler.
 */
final class LooseObjects {

    private final Path repo;
    private final RepoMode mode;
    private final AtomicFiles files;
    private final Staging staging;

    LooseObjects(Path repo, RepoMode mode, AtomicFiles files, Staging staging) {
        this.repo = repo;
        this.mode = mode;
        this.files = files;
        this.staging = staging;
    }

    Staging staging() {
        return staging;
    }

    Path repo() {
        return repo;
    }

    RepoMode mode() {
        return mode;
    }

    AtomicFiles files() {
        return files;
    }

    /** The object's path under {@code objects/} (where it is once published). */
    Path path(ObjectType type, Checksum checksum) {
        return repo.resolve(type.relativePath(checksum, mode));
    }

    /**
     * Where to read the object now: its staged file while it waits to be published, else its path
     * under {@code objects/}. A reader that gets {@link NoSuchFileException} from a staged path
     * should locate again: the object was published meanwhile.
     */
    Path locate(ObjectType type, Checksum checksum) {
        Path staged = staging.staged(new Staging.Key(type, checksum));
        return staged != null ? staged : path(type, checksum);
    }

    /** {@code checksum.type} as used in messages ({@code .filez} in archive repos). */
    String name(ObjectType type, Checksum checksum) {
        return checksum.hex() + "." + type.extension(mode);
    }

    boolean has(ObjectType type, Checksum checksum) {
        return has(new Staging.Key(type, checksum), type == ObjectType.FILE && mode == RepoMode.BARE_USER_ONLY);
    }

    /**
     * Staged, or a file under {@code objects/}. Asked once per object written, and mostly answered
     * "no": {@code java.io.File#exists} says so with one {@code stat} and no exception, where
     * {@code Files.exists} on JDK 17 builds a {@code NoSuchFileException} with its stack trace
     * (a quarter of an import's allocations). {@code File#exists} follows symlinks, so an object
     * that may be a symlink (content in a {@code bare-user-only} repository) is checked again
     * without following when the answer is "no".
     */
    private boolean has(Staging.Key key, boolean maybeSymlink) {
        if (staging.staged(key) != null) {
            return true;
        }
        Path p = path(key.type(), key.checksum());
        return p.toFile().exists() || maybeSymlink && Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes an object's stored form to the path it is given (in the staging area). */
    @FunctionalInterface
    interface ObjectFileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Stores the object {@code checksum} with {@code writer} unless it is present (published or
     * staged); {@code symlink} when the object is stored as a symbolic link. Never waits: when another thread is writing the same object, returns that writer's
     * completion (completed normally once the object is staged, exceptionally when that writer gave
     * up, so the caller may try again); otherwise returns {@code null}: the object is staged, by this
     * call or earlier. On failure the partial file is removed.
     */
    CompletableFuture<Void> store(ObjectType type, Checksum checksum, boolean symlink, ObjectFileWriter writer)
            throws IOException {
        Staging.Key key = new Staging.Key(type, checksum);
        if (has(key, symlink)) {
            return null;
        }
        CompletableFuture<Void> other = staging.claim(key);
        if (other != null) {
            return other.isDone() && !other.isCompletedExceptionally() ? null : other;
        }
        boolean ok = false;
        try {
            writer.write(staging.pathFor(key));
            ok = true;
        } finally {
            if (ok) {
                staging.done(key);
            } else {
                staging.abandon(key);
            }
        }
        staging.publishSome();
        return null;
    }

    /**
     * Reads a metadata object and, for dirtree/dirmeta/commit, checks that it hashes to its name.
     *
     * @throws ObjectNotFoundException when absent
     * @throws CorruptObjectException on a checksum mismatch
     */
    byte[] readMetadata(ObjectType type, Checksum checksum) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(locate(type, checksum));
        } catch (NoSuchFileException e) {
            try {
                data = Files.readAllBytes(path(type, checksum));
            } catch (NoSuchFileException again) {
                throw new ObjectNotFoundException(repo, name(type, checksum));
            }
        }
        if (type.isContentAddressedMetadata()) {
            Checksum actual = Checksum.sha256(data);
            if (!actual.equals(checksum)) {
                throw new CorruptObjectException(repo, name(type, checksum), "its content hashes to " + actual.hex());
            }
        }
        return data;
    }

    /**
     * Stores a metadata object under {@code checksum} unless it is already present; like
     * {@link #store}, returns null or the completion of a concurrent writer of the same object.
     */
    CompletableFuture<Void> writeMetadata(ObjectType type, Checksum checksum, byte[] data) throws IOException {
        return store(type, checksum, false, file -> {
            try (FileChannel ch = NewFiles.create(file, 0644)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            NewFiles.finishMode(file, 0644);
        });
    }

    /** Every loose object as (type, checksum, path), in directory order; unknown files are skipped. */
    List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        Path objects = repo.resolve("objects");
        try (Stream<Path> dirs = Files.list(objects)) {
            for (Path dir : dirs.sorted().toList()) {
                String prefix = dir.getFileName().toString();
                if (prefix.length() != 2 || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (Stream<Path> objs = Files.list(dir)) {
                    for (Path p : objs.sorted().toList()) {
                        Entry e = parse(prefix, p);
                        if (e != null) {
                            out.add(e);
                        }
                    }
                }
            }
        }
        return out;
    }

    private Entry parse(String prefix, Path p) {
        String fileName = p.getFileName().toString();
        int dot = fileName.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String hex = prefix + fileName.substring(0, dot);
        String ext = fileName.substring(dot + 1);
        if (!Checksum.isValidHex(hex)) {
            return null;
        }
        ObjectType type;
        try {
            type = ObjectType.fromExtension(ext);
        } catch (RuntimeException e) {
            return null;
        }
        if (!ext.equals(type.extension(mode))) {
            return null;
        }
        return new Entry(type, Checksum.fromHex(hex), p);
    }

    /** One loose object. */
    record Entry(ObjectType type, Checksum checksum, Path path) {
    }
}
