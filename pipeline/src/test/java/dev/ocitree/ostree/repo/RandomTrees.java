package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random directory trees for interop tests: names with unicode and sort-order traps
 * (UTF-8 byte order vs UTF-16 order, '.', '-', '_', upper case, digits), empty directories,
 * symlinks (also dangling), executables, odd permission bits, hard links, empty and multi-chunk
 * files, and user xattrs when the file system allows them.
 */
final class RandomTrees {

    static final String[] NAMES = {"a", "a.b", "a-b", "a_b", "ab", "A", "B", "Z", "_", "ä", "é", "z", "10", "9",
        ".hidden", "日本語", "emoji\uD83D\uDE00", "\uFB01", "a b", "x~", "README", "lib", "bin"};

    private final Random rnd;
    private final boolean xattrs;
    private final boolean canonical;
    private final List<Path> files = new ArrayList<>();
    private int budget;

    private RandomTrees(long seed, int fileBudget, boolean xattrs, boolean canonical) {
        this.rnd = new Random(seed);
        this.budget = fileBudget;
        this.xattrs = xattrs && !canonical;
        this.canonical = canonical;
    }

    /** Whether user xattrs can be set on files under {@code dir}. */
    static boolean userXattrsSupported(Path dir) {
        try {
            Path probe = Files.createTempFile(dir, "xattr", ".probe");
            try {
                Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class).write("probe", ByteBuffer.wrap(new byte[] {1}));
                return true;
            } finally {
                Files.delete(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Creates a tree of about {@code files} entries in {@code root} (which must not exist). */
    static Path generate(Path root, long seed, int files, boolean withXattrs) throws IOException {
        return generate(root, seed, files, withXattrs, false);
    }

    /**
     * Like {@link #generate(Path, long, int, boolean)}; {@code canonical} limits modes to what
     * bare-user-only stores unchanged (no setuid/setgid/sticky, no group/other write, no xattrs).
     */
    static Path generate(Path root, long seed, int files, boolean withXattrs, boolean canonical) throws IOException {
        RandomTrees t = new RandomTrees(seed, files, withXattrs, canonical);
        Files.createDirectory(root);
        t.fill(root, 0);
        while (t.budget > 0) {
            t.fill(root.resolve(t.uniqueName(root)), 1);
        }
        AtomicFiles.chmod(root, 0755);
        return root;
    }

    private void fill(Path dir, int depth) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectory(dir);
        }
        int n = rnd.nextInt(10);
        for (int i = 0; i < n && budget > 0; i++) {
            Path p = dir.resolve(uniqueName(dir));
            int kind = rnd.nextInt(100);
            if (kind < 18 && depth < 4) {
                fill(p, depth + 1);
                AtomicFiles.chmod(p, canonical ? pickMode(0755, 0700, 0750)
                        : pickMode(0755, 0755, 0700, 0775, 0750, 01777, 02755));
            } else if (kind < 28) {
                Files.createSymbolicLink(p, Path.of(rnd.nextBoolean() ? "../" + pick(NAMES) : pick(NAMES) + "/target"));
                budget--;
            } else if (kind < 33 && !files.isEmpty()) {
                Files.createLink(p, files.get(rnd.nextInt(files.size())));
                budget--;
            } else {
                Files.write(p, content());
                AtomicFiles.chmod(p, canonical ? pickMode(0644, 0755, 0600, 0444, 0700)
                        : pickMode(0644, 0644, 0755, 0600, 0664, 0444, 0700, 04755, 02711, 01644));
                if (xattrs && rnd.nextInt(4) == 0) {
                    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                    for (int k = rnd.nextInt(3) + 1; k > 0; k--) {
                        byte[] value = new byte[rnd.nextInt(20)];
                        rnd.nextBytes(value);
                        v.write(pick("zeta", "alpha", "B", "m.x", "ä"), ByteBuffer.wrap(value));
                    }
                }
                files.add(p);
                budget--;
            }
        }
    }

    private byte[] content() {
        int r = rnd.nextInt(100);
        int size = r < 10 ? 0 : r < 90 ? rnd.nextInt(4096) : rnd.nextInt(300_000);
        byte[] b = new byte[size];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(b);
        } else {
            for (int i = 0; i < size; i++) {
                b[i] = (byte) ('a' + (i * 7 + size) % 26);
            }
        }
        return b;
    }

    private String uniqueName(Path dir) {
        Set<String> taken = new HashSet<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> taken.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String name = pick(NAMES);
        int k = 1;
        while (taken.contains(name)) {
            name = pick(NAMES) + (rnd.nextBoolean() ? "" : String.valueOf(k++));
        }
        return name;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    private int pickMode(int... options) {
        return options[rnd.nextInt(options.length)];
    }
}
