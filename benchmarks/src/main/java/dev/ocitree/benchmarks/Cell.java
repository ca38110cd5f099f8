package dev.ocitree.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * All repetitions of one contender on one image, and their medians (each figure's median taken on
 * its own: wall, CPU, peak RSS).
 */
final class Cell {
    private final Image image;
    private final Contender contender;
    private final List<Measurement> runs = new ArrayList<>();

    Cell(Image image, Contender contender) {
        this.image = image;
        this.contender = contender;
    }

    Image image() {
        return image;
    }

    Contender contender() {
        return contender;
    }

    List<Measurement> runs() {
        return runs;
    }

    void add(Measurement m) {
        runs.add(m);
    }

    /** The medians of the successful runs; if every run failed, the first failure. */
    Measurement median() {
        List<Measurement> ok = runs.stream().filter(Measurement::ok).toList();
        if (ok.isEmpty()) {
            return runs.isEmpty() ? Measurement.unavailable("not run") : runs.get(0);
        }
        String tree = ok.stream().map(Measurement::tree).filter(Objects::nonNull).findFirst().orElse(null);
        return new Measurement(med(ok, Measurement::wall), med(ok, Measurement::user), med(ok, Measurement::sys),
                Math.round(med(ok, m -> m.maxRssKb())), "ok", tree);
    }

    /** How many runs failed (reported next to the medians). */
    long failures() {
        return runs.stream().filter(m -> !m.ok()).count();
    }

    /** The median CPU time (user+sys) over the successful runs. */
    double medianCpu() {
        List<Measurement> ok = runs.stream().filter(Measurement::ok).toList();
        return ok.isEmpty() ? Double.NaN : med(ok, Measurement::cpu);
    }

    static double med(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
        double[] v = ms.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
