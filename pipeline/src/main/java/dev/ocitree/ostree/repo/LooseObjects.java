package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code objects/XX/REST.type} store of one repository (OSTREE-FORMAT.md §3.3): paths,
 * existence, verified metadata reads and atomic metadata writes. Every method blocks: call on the
 * repository's scheduler.
 */
final class LooseObjects {

    private final Path repo;
    private final RepoMode mode;
    private final AtomicFiles files;

    LooseObjects(Path repo, RepoMode mode, AtomicFiles files) {
        this.repo = repo;
        this.mode = mode;
        this.files = files;
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

    Path path(ObjectType type, Checksum checksum) {
        return repo.resolve(type.relativePath(checksum, mode));
    }

    /** {@code checksum.type} as used in messages ({@code .filez} in archive repos). */
    String name(ObjectType type, Checksum checksum) {
        return checksum.hex() + "." + type.extension(mode);
    }

    boolean has(ObjectType type, Checksum checksum) {
        return Files.exists(path(type, checksum), LinkOption.NOFOLLOW_LINKS);
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
            data = Files.readAllBytes(path(type, checksum));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(repo, name(type, checksum));
        }
        if (type.isContentAddressedMetadata()) {
            Checksum actual = Checksum.sha256(data);
            if (!actual.equals(checksum)) {
                throw new CorruptObjectException(repo, name(type, checksum), "its content hashes to " + actual.hex());
            }
        }
        return data;
    }

    /** Stores a metadata object under {@code checksum} unless it is already present. */
    void writeMetadata(ObjectType type, Checksum checksum, byte[] data) throws IOException {
        Path target = path(type, checksum);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            files.writeAtomically(target, data, type.extension());
        }
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
