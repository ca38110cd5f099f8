package dev.ocitree.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * What one run of one contender cost, as GNU time reports it for the whole process tree: wall
 * seconds, user and system CPU seconds, and the peak resident set of the largest process.
 *
 * @param status {@code ok}, or why the run has no figures ({@code failed: ...}, {@code import not available})
 * @param tree the root dirtree checksum of the merged tree it wrote, or null
 */
record Measurement(double wall, double user, double sys, long maxRssKb, String status, String tree) {

    static Measurement unavailable(String why) {
        return new Measurement(Double.NaN, Double.NaN, Double.NaN, -1, why, null);
    }

    boolean ok() {
        return status.equals("ok");
    }

    double cpu() {
        return user + sys;
    }

    double rssMiB() {
        return maxRssKb / 1024.0;
    }

    /** Parses the last line of {@code /usr/bin/time -f "%e %U %S %M"}. */
    static Measurement parse(List<String> timeLines, String status, String tree) {
        String last = timeLines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("/usr/bin/time wrote nothing"));
        String[] f = last.trim().split("\\s+");
        if (f.length != 4) {
            throw new IllegalStateException("unexpected /usr/bin/time output: " + last);
        }
        return new Measurement(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Long.parseLong(f[3]), status, tree);
    }

    @Override
    public String toString() {
        return ok() ? String.format(Locale.ROOT, "%.2f s wall, %.2f s cpu, %.0f MiB", wall, cpu(), rssMiB()) : status;
    }
}
