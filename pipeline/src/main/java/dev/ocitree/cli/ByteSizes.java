package dev.ocitree.cli;

import java.util.Locale;

/** Sizes for people: {@code 512 B}, {@code 1.5 KiB}, {@code 27.0 MiB}. */
final class ByteSizes {

    private ByteSizes() {
    }

    static String format(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
