package dev.ocitree.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The harness's command-line options, parsed once into an immutable value.
 *
 * @param root the project checkout (holds {@code pipeline/target/ocitree.jar} and {@code docs/})
 * @param work where images, repositories and logs go
 * @param out where {@code benchmarks.json} and {@code benchmarks.png} are written
 * @param sizeBytes approximate uncompressed size of each test image
 * @param reps repetitions of every measurement (the median is reported)
 * @param seed seed of the generated images
 * @param fromDir a real directory to build the images from instead of generated content, or null
 * @param images the images to run on ({@code one-gzip one-zstd four-gzip four-zstd})
 * @param contenders the tools to run ({@code ocitree ostree-tar ostree-ext umoci floor unpack})
 * @param modes the repository modes ocitree and {@code ostree commit --tree=tar=} run in
 * @param memorySizes image sizes of the memory check (empty: no memory check)
 * @param profile whether to record a JFR profile of one ocitree import
 * @param fsync false: every repository gets {@code core.fsync=false} (ostree and ocitree both honour it)
 * @param command the command line as typed, for the report
 */
record Options(Path root, Path work, Path out, long sizeBytes, int reps, long seed, Path fromDir,
               List<String> images, List<String> contenders, List<String> modes, List<Long> memorySizes, boolean profile,
               boolean fsync, String command) {

    static final List<String> ALL_IMAGES = List.of("one-gzip", "one-zstd", "four-gzip", "four-zstd");
    static final List<String> ALL_CONTENDERS = List.of("ocitree", "ostree-tar", "ostree-ext", "umoci", "floor",
            "unpack");
    static final List<String> ALL_MODES = List.of("bare-user-only", "bare-user", "archive");

    static final String USAGE = String.join("\n",
            "usage: benchmarks/run.sh [--quick] [--size=1G] [--reps=3] [--seed=42] [--from-dir=DIR]",
            "                         [--images=one-gzip,four-gzip,...] [--tools=...] [--modes=...]",
            "                         [--memory=100M,2G | --no-memory] [--no-profile] [--fsync=off] [--work=DIR] [--out=DIR]",
            "  --quick        ~100 MB images, memory check 100M,1G unless --memory is given",
            "  --size=S       uncompressed size of each image (K, M, G suffixes); default 1G",
            "  --reps=N       repetitions, alternating between tools; the median is reported (default 3)",
            "  --from-dir=D   build the images from a real directory (e.g. /usr/share) instead of a seed",
            "  --images=...   subset of " + String.join(",", ALL_IMAGES) + ", or none (memory check only)",
            "  --modes=...    repository modes of ocitree and ostree-tar, subset of " + String.join(",", ALL_MODES),
            "  --tools=...    subset of " + String.join(",", ALL_CONTENDERS),
            "  --memory=A,B   peak RSS of an ocitree import of a four-layer gzip image of size A and of B",
            "                 (default 100M,2G); --no-memory skips it",
            "  --no-profile   skip the JFR recording of one ocitree import",
            "  --fsync=off    set core.fsync=false in every repository (default: each tool's own fsync policy)",
            "  --work=DIR     images, repositories and logs (default benchmarks/target/work)",
            "  --out=DIR      where benchmarks.json and benchmarks.png go (default docs/)",
            "  --summarise-jfr=FILE  only print the stage breakdown of a JFR recording of an ocitree import");

    static Options parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        Path work = null;
        Path out = null;
        long size = parseSize("1G");
        boolean quick = false;
        boolean sizeGiven = false;
        int reps = 3;
        long seed = 42;
        Path fromDir = null;
        List<String> images = ALL_IMAGES;
        List<String> contenders = ALL_CONTENDERS;
        List<String> modes = ALL_MODES;
        List<Long> memory = null;
        boolean profile = true;
        boolean fsync = true;
        List<String> typed = new ArrayList<>();
        for (String a : args) {
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
            if (a.startsWith("--root=")) {
                root = Path.of(v).toAbsolutePath();
                continue;
            }
            typed.add(a);
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--size=")) {
                size = parseSize(v);
                sizeGiven = true;
            } else if (a.startsWith("--reps=")) {
                reps = Integer.parseInt(v);
                if (reps < 1) {
                    throw new IllegalArgumentException("--reps must be at least 1: " + a);
                }
            } else if (a.startsWith("--seed=")) {
                seed = Long.parseLong(v);
            } else if (a.startsWith("--from-dir=")) {
                fromDir = Path.of(v).toAbsolutePath();
            } else if (a.equals("--images=none")) {
                images = List.of();
            } else if (a.startsWith("--images=")) {
                images = subset(v, ALL_IMAGES, a);
            } else if (a.startsWith("--modes=")) {
                modes = subset(v, ALL_MODES, a);
            } else if (a.startsWith("--tools=")) {
                contenders = subset(v, ALL_CONTENDERS, a);
            } else if (a.startsWith("--memory=")) {
                memory = Arrays.stream(v.split(",")).map(Options::parseSize).toList();
            } else if (a.equals("--no-memory")) {
                memory = List.of();
            } else if (a.equals("--no-profile")) {
                profile = false;
            } else if (a.equals("--fsync=off") || a.equals("--fsync=on")) {
                fsync = a.endsWith("on");
            } else if (a.startsWith("--work=")) {
                work = Path.of(v).toAbsolutePath();
            } else if (a.startsWith("--out=")) {
                out = Path.of(v).toAbsolutePath();
            } else {
                throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (quick && !sizeGiven) {
            size = parseSize("100M");
        }
        if (memory == null) {
            memory = quick ? List.of(parseSize("100M"), parseSize("1G")) : List.of(parseSize("100M"), parseSize("2G"));
        }
        if (memory.size() != 0 && memory.size() != 2) {
            throw new IllegalArgumentException("--memory takes two sizes, e.g. --memory=100M,2G");
        }
        return new Options(root, work != null ? work : root.resolve("benchmarks/target/work"),
                out != null ? out : root.resolve("docs"), size, reps, seed, fromDir, images, contenders, modes,
                memory, profile, fsync, ("benchmarks/run.sh " + String.join(" ", typed)).trim());
    }

    private static List<String> subset(String csv, List<String> all, String option) {
        List<String> picked = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String p : picked) {
            if (!all.contains(p)) {
                throw new IllegalArgumentException(option + ": unknown '" + p + "', expected some of " + all);
            }
        }
        // keep the canonical order so tables line up between runs
        return all.stream().filter(picked::contains).toList();
    }

    /** Parses {@code 100M}, {@code 1G}, {@code 512K} or a plain byte count. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Math.round(Double.parseDouble(t) * unit);
            if (n < (1L << 20)) {
                throw new IllegalArgumentException("size too small (at least 1M): " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + s + " (use e.g. 100M or 1G)", e);
        }
    }

    /** {@code 1.0 GiB}, {@code 100 MiB}: the human form of a byte count. */
    static String human(long bytes) {
        if (bytes >= (1L << 30)) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= (1L << 20)) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    /** A short label for a size: {@code 100M}, {@code 2G}. */
    static String label(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        return Long.toString(bytes);
    }
}
