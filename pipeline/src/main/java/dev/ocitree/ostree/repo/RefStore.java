package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ref files under {@code refs/heads/} and {@code refs/remotes/<remote>/} (OSTREE-FORMAT.md §3.6):
 * 64 lower-case hex digits and a newline, written atomically after the objects they name have been
 * synced. Every method blocks: call on the repository's scheduler.
 */
final class RefStore {

    private final Path repo;
    private final AtomicFiles files;

    RefStore(Path repo, AtomicFiles files) {
        this.repo = repo;
        this.files = files;
    }

    /** The checksum a ref file holds, or null when the ref does not exist. */
    String read(RefNames.RefSpec spec) throws IOException {
        Path file = repo.resolve(spec.relativePath());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!RefNames.isChecksum(value)) {
            throw new InvalidRefException(repo, spec.toString(), "file " + file + " does not hold a lower-case"
                    + " 64-hex checksum: '" + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'");
        }
        return value;
    }

    /**
     * Resolves a name the way {@code ostree rev-parse} does for plain names: {@code refs/heads/N},
     * then {@code refs/remotes/N} (so {@code origin/foo} works); {@code remote:ref} is explicit.
     * Returns null when nothing matches.
     */
    String resolve(String name) throws IOException {
        RefNames.RefSpec spec = RefNames.parse(repo, name);
        String value = read(spec);
        if (value == null && spec.remote() == null) {
            int slash = spec.ref().indexOf('/');
            if (slash > 0) {
                value = read(new RefNames.RefSpec(spec.ref().substring(0, slash), spec.ref().substring(slash + 1)));
            }
        }
        return value;
    }

    /** Points a ref at a checksum: syncs pending object directories first, then writes atomically. */
    void write(RefNames.RefSpec spec, String checksum) throws IOException {
        files.syncDirectories();
        Path target = repo.resolve(spec.relativePath());
        if (Files.isDirectory(target)) {
            throw new InvalidRefException(repo, spec.toString(), "a ref directory of that name exists");
        }
        files.writeAtomically(target, (checksum + "\n").getBytes(StandardCharsets.US_ASCII), "ref");
        files.syncDirectories();
    }

    /** Deletes a ref; false when it did not exist. */
    boolean delete(RefNames.RefSpec spec) throws IOException {
        Path target = repo.resolve(spec.relativePath());
        if (!Files.isRegularFile(target)) {
            return false;
        }
        Files.delete(target);
        files.fsyncDirectory(target.getParent());
        return true;
    }

    /** All refs, local as {@code name}, remote as {@code remote:name}, sorted. */
    List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        Path heads = repo.resolve("refs/heads");
        collect(heads, "", out);
        Path remotes = repo.resolve("refs/remotes");
        if (Files.isDirectory(remotes)) {
            try (Stream<Path> rs = Files.list(remotes)) {
                for (Path remote : rs.sorted().toList()) {
                    if (Files.isDirectory(remote)) {
                        collect(remote, remote.getFileName() + ":", out);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static void collect(Path root, String prefix, List<String> out) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .forEach(p -> out.add(prefix + root.relativize(p).toString()));
        }
    }
}
