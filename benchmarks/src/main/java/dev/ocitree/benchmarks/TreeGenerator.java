package dev.ocitree.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the directory trees of an image's layers, deterministically from a seed: many small
 * compressible files in package directories, a tail of large binaries, a very deep and a very wide
 * directory, symlinks (including usr-merge directory links) and hardlinks; upper layers rewrite
 * some lower files; {@link #whiteouts} writes OCI whiteouts ({@code .wh.NAME}, {@code .wh..wh..opq}).
 * Layers keep the paths they created so later layers can modify and delete them.
 */
final class TreeGenerator {
    private static final int CHUNK = 1 << 20;
    private static final String[] TEXT_EXT = {".c", ".h", ".py", ".txt", ".html", ".json", ".md", ".conf", ".xml", ".js", ""};
    private static final String[] BASES = {"usr/share", "usr/share/doc", "usr/lib", "usr/lib/python3/dist-packages",
        "usr/include", "opt/app/lib", "etc", "usr/share/locale", "var/lib"};
    private static final String[] BIG_DIRS = {"usr/lib/x86_64-linux-gnu", "usr/bin", "opt/app/bin", "usr/share/fonts"};

    private final SplittableRandom rnd;
    private final Content content;
    private final byte[] buf = new byte[CHUNK];
    private final List<String> lowerFiles = new ArrayList<>();
    private final Set<String> lowerSet = new HashSet<>();
    private final List<String> lowerDirs = new ArrayList<>();

    /** What one layer holds. */
    record Stats(int files, int dirs, int symlinks, int hardlinks, int whiteouts, long bytes) {
        Stats plus(Stats o) {
            return new Stats(files + o.files, dirs + o.dirs, symlinks + o.symlinks, hardlinks + o.hardlinks,
                    whiteouts + o.whiteouts, bytes + o.bytes);
        }
    }

    TreeGenerator(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.content = new Content(seed ^ 0x5DEECE66DL);
    }

    /** Adds paths of an existing (real) tree as "lower" content, for {@link #whiteouts}. */
    void addLower(List<String> files, List<String> dirs) {
        lowerFiles.addAll(files);
        lowerSet.addAll(files);
        lowerDirs.addAll(dirs);
    }

    /**
     * Writes one layer of about {@code budget} bytes of file content into the empty directory
     * {@code dir}. Layer 0 lays out the base system (usr-merge links, deep and wide directories);
     * later layers rewrite ~2% of the lower files and add new packages.
     */
    Stats layer(Path dir, long budget, int index) {
        Layer l = new Layer(dir);
        if (index == 0) {
            for (String d : List.of("usr/bin", "usr/sbin", "usr/lib/x86_64-linux-gnu", "usr/share/doc", "usr/include",
                    "etc", "var/lib", "opt/app/bin", "opt/app/lib", "usr/share/fonts", "usr/share/locale",
                    "usr/lib/python3/dist-packages", "tmp")) {
                l.dir(d);
            }
            l.symlink("bin", "usr/bin");
            l.symlink("sbin", "usr/sbin");
            l.symlink("lib", "usr/lib");
            l.symlink("lib64", "usr/lib64");
        } else {
            for (int i = 0, n = lowerFiles.size() / 50; i < n; i++) {
                String p = lowerFiles.get(rnd.nextInt(lowerFiles.size()));
                if (l.taken.contains(p)) {
                    continue;
                }
                int size = (int) logUniform(64, 64 << 10);
                l.file(p, size, true, 0644);
                budget -= size;
            }
        }
        long bigBudget = budget * 45 / 100;
        long smallBudget = budget - bigBudget;
        List<String> pkgDirs = new ArrayList<>();
        int packages = (int) Math.max(4, smallBudget / (400 << 10));
        for (int i = 0; i < packages; i++) {
            String pkg = BASES[rnd.nextInt(BASES.length)] + "/" + name() + "-" + index + "." + i;
            l.dir(pkg);
            pkgDirs.add(pkg);
            lowerDirs.add(pkg);
            int subs = rnd.nextInt(6);
            String parent = pkg;
            for (int s = 0; s < subs; s++) {
                String sub = (rnd.nextBoolean() ? parent : pkg) + "/" + name();
                if (l.dir(sub)) {
                    pkgDirs.add(sub);
                    parent = sub;
                }
            }
        }
        List<String> layerFiles = new ArrayList<>();
        if (index == 0) {
            // a chain 40 directories deep, one small file at each level
            StringBuilder deep = new StringBuilder("usr/share/deep");
            for (int d = 1; d <= 40; d++) {
                deep.append(String.format("/level-%02d", d));
                l.dir(deep.toString());
                int size = (int) logUniform(32, 4096);
                layerFiles.add(l.file(deep + "/" + name() + ".txt", size, true, 0644));
                smallBudget -= size;
            }
            // one directory with thousands of entries
            int wide = (int) Math.min(5000, Math.max(200, smallBudget / (16 << 10) / 8));
            l.dir("usr/share/wide");
            for (int w = 0; w < wide; w++) {
                int size = (int) logUniform(32, 8192);
                layerFiles.add(l.file("usr/share/wide/" + name() + "-" + w + ".mo", size, true, 0644));
                smallBudget -= size;
            }
        }
        while (smallBudget > 0) {
            String d = pkgDirs.get(rnd.nextInt(pkgDirs.size()));
            int size = (int) Math.min(smallBudget, logUniform(32, 128 << 10));
            int mode = rnd.nextInt(40) == 0 ? 0600 : (rnd.nextInt(15) == 0 ? 0755 : 0644);
            layerFiles.add(l.file(d + "/" + name() + TEXT_EXT[rnd.nextInt(TEXT_EXT.length)], size, true, mode));
            smallBudget -= size;
        }
        while (bigBudget > 0) {
            String d = BIG_DIRS[rnd.nextInt(BIG_DIRS.length)];
            long size = Math.min(bigBudget, logUniform(256 << 10, 48L << 20));
            if (d.startsWith("usr/lib/")) {
                String lib = "lib" + name() + "-" + index;
                String real = l.file(d + "/" + lib + ".so." + (1 + rnd.nextInt(9)), size, false, 0644);
                layerFiles.add(real);
                l.symlink(d + "/" + lib + ".so", real.substring(real.lastIndexOf('/') + 1));
            } else {
                layerFiles.add(l.file(d + "/" + name() + "-" + index, size, false, 0755));
            }
            bigBudget -= size;
        }
        for (int i = 0, n = layerFiles.size() / 30; i < n; i++) {
            String target = layerFiles.get(rnd.nextInt(layerFiles.size()));
            String from = pkgDirs.get(rnd.nextInt(pkgDirs.size())) + "/" + name() + ".link";
            l.symlink(from, Path.of(from).getParent().relativize(Path.of(target)).toString());
        }
        for (int i = 0, n = layerFiles.size() / 100; i < n; i++) {
            String target = layerFiles.get(rnd.nextInt(layerFiles.size()));
            l.hardlink(pkgDirs.get(rnd.nextInt(pkgDirs.size())) + "/" + name() + ".hl", target);
        }
        lowerFiles.addAll(layerFiles);
        lowerSet.addAll(layerFiles);
        return l.stats();
    }

    /**
     * Writes a whiteout layer into the empty directory {@code dir}: deletes ~1% of the lower files
     * ({@code .wh.NAME}), one lower directory as a whole, makes another one opaque
     * ({@code .wh..wh..opq}) with a few new files, and adds about {@code budget} bytes of new files.
     */
    Stats whiteouts(Path dir, long budget) {
        Layer l = new Layer(dir);
        List<String> spared = new ArrayList<>();
        if (lowerDirs.size() >= 2) {
            String removed = lowerDirs.get(rnd.nextInt(lowerDirs.size()));
            String opaque = lowerDirs.get(rnd.nextInt(lowerDirs.size()));
            if (!opaque.equals(removed) && !opaque.startsWith(removed + "/") && !removed.startsWith(opaque + "/")) {
                l.whiteout(removed);
                l.dir(opaque);
                l.opaque(opaque);
                for (int i = 0; i < 3; i++) {
                    l.file(opaque + "/" + name() + ".conf", (int) logUniform(64, 4096), true, 0644);
                }
                spared.add(removed + "/");
                spared.add(opaque + "/");
            }
        }
        Set<String> gone = new HashSet<>();
        int n = Math.max(3, lowerFiles.size() / 100);
        for (int i = 0; i < n && !lowerFiles.isEmpty(); i++) {
            String p = lowerFiles.get(rnd.nextInt(lowerFiles.size()));
            if (spared.stream().noneMatch(p::startsWith) && gone.add(p)) {
                l.whiteout(p);
            }
        }
        l.dir("etc/app");
        long left = budget;
        while (left > 0) {
            int size = (int) Math.min(left, logUniform(64, 64 << 10));
            l.file("etc/app/" + name() + ".conf", size, true, 0644);
            left -= size;
        }
        return l.stats();
    }

    private long logUniform(long lo, long hi) {
        return (long) Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    private String name() {
        int len = 3 + rnd.nextInt(8);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    /** One layer directory being written; remembers its paths to keep names unique. */
    private final class Layer {
        final Path root;
        final Set<String> taken = new HashSet<>();
        int files;
        int dirs;
        int symlinks;
        int hardlinks;
        int whiteouts;
        long bytes;

        Layer(Path root) {
            this.root = root;
        }

        Stats stats() {
            return new Stats(files, dirs, symlinks, hardlinks, whiteouts, bytes);
        }

        /** Creates a directory (and parents); false if the name is taken by a non-directory. */
        boolean dir(String rel) {
            Path p = root.resolve(rel);
            if (Files.isDirectory(p)) {
                return true;
            }
            if (taken.contains(rel)) {
                return false;
            }
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            taken.add(rel);
            dirs++;
            return true;
        }

        private String unique(String rel) {
            String r = rel;
            for (int i = 1; taken.contains(r) || Files.exists(root.resolve(r), java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
                r = rel + "." + i;
            }
            taken.add(r);
            return r;
        }

        /** Writes a file (a rewrite of a lower one keeps its exact path) and returns its path. */
        String file(String rel, long size, boolean text, int mode) {
            String r = lowerSet.contains(rel) && !taken.contains(rel) ? take(rel) : unique(rel);
            Path p = root.resolve(r);
            long seed = rnd.nextLong();
            try {
                Files.createDirectories(p.getParent());
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    for (long off = 0, c = 0; off < size; off += CHUNK, c++) {
                        int len = (int) Math.min(CHUNK, size - off);
                        if (text) {
                            content.text(buf, len, seed + c);
                        } else {
                            content.binary(buf, len, seed + c);
                        }
                        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
                        while (bb.hasRemaining()) {
                            ch.write(bb);
                        }
                    }
                }
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms(mode)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files++;
            bytes += size;
            return r;
        }

        private String take(String rel) {
            taken.add(rel);
            return rel;
        }

        void symlink(String rel, String target) {
            String r = unique(rel);
            try {
                Files.createDirectories(root.resolve(r).getParent());
                Files.createSymbolicLink(root.resolve(r), Path.of(target));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            symlinks++;
        }

        void hardlink(String rel, String existing) {
            String r = unique(rel);
            try {
                Files.createLink(root.resolve(r), root.resolve(existing));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            hardlinks++;
        }

        void whiteout(String lowerPath) {
            Path p = Path.of(lowerPath);
            String parent = p.getParent() == null ? "" : p.getParent().toString();
            if (!parent.isEmpty()) {
                dir(parent);
            }
            empty((parent.isEmpty() ? "" : parent + "/") + ".wh." + p.getFileName());
        }

        void opaque(String lowerDir) {
            empty(lowerDir + "/.wh..wh..opq");
        }

        private void empty(String rel) {
            try {
                Files.createFile(root.resolve(take(rel)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            whiteouts++;
        }
    }

    private static String perms(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            sb.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        }
        return sb.toString();
    }
}
