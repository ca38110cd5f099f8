package dev.ocitree.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of a run: median table, ratios ocitree/peer and ocitree/floor, the targets of issue 6,
 * the memory check and the profile summary; printed as text and written as JSON.
 */
final class Report {
    /** A ratio between two cells: {@code value = peer wall / ocitree wall} (speedup) or ocitree / floor. */
    record Ratio(String image, String what, String ocitree, String other, double value, double cpuValue) {
    }

    /** A target of issue 6 and whether this run meets it (null: not measured). */
    record Target(String name, String ratio, double value, double threshold, boolean atLeast, Boolean met) {
    }

    private final Options options;
    private final Machine machine;
    private final List<Image> images;
    private final List<Cell> cells;
    private final Cell memorySmall;
    private final Cell memoryLarge;
    private final Profiler.Summary profile;
    private final String profiled;
    private final String ocitreeUnavailable;
    private final Map<String, Object> run;

    Report(Options options, Machine machine, List<Image> images, List<Cell> cells, Cell memorySmall,
           Cell memoryLarge, Profiler.Summary profile, String profiled, String ocitreeUnavailable,
           Map<String, Object> run) {
        this.options = options;
        this.machine = machine;
        this.images = images;
        this.cells = cells;
        this.memorySmall = memorySmall;
        this.memoryLarge = memoryLarge;
        this.profile = profile;
        this.profiled = profiled;
        this.ocitreeUnavailable = ocitreeUnavailable;
        this.run = run;
    }

    List<Cell> cells() {
        return cells;
    }

    Cell memorySmall() {
        return memorySmall;
    }

    Cell memoryLarge() {
        return memoryLarge;
    }

    private Cell cell(String image, String tool, String mode) {
        return cells.stream().filter(c -> c.image().name().equals(image) && c.contender().tool().equals(tool)
                && Objects.equals(c.contender().mode(), mode)).findFirst().orElse(null);
    }

    List<Ratio> ratios() {
        List<Ratio> out = new ArrayList<>();
        for (Image img : images) {
            String i = img.name();
            for (String mode : List.of("bare-user-only", "bare-user", "archive")) {
                add(out, i, "speedup vs ostree commit --tree=tar= (" + mode + ")", cell(i, "ocitree", mode),
                        cell(i, "ostree-tar", mode), true);
            }
            add(out, i, "speedup vs the ostree-ext way", cell(i, "ocitree", Contender.TARGET_MODE),
                    cell(i, "ostree-ext", Contender.TARGET_MODE), true);
            add(out, i, "speedup vs umoci + ostree commit", cell(i, "ocitree", Contender.TARGET_MODE),
                    cell(i, "umoci", Contender.TARGET_MODE), true);
            for (String mode : List.of("bare-user-only", "bare-user", "archive")) {
                add(out, i, "ocitree (" + mode + ") / decompression floor", cell(i, "ocitree", mode),
                        cell(i, "floor", null), false);
            }
            add(out, i, "ocitree (" + Contender.TARGET_MODE + ") / unpack floor (decompress | tar -x)",
                    cell(i, "ocitree", Contender.TARGET_MODE), cell(i, "unpack", null), false);
        }
        return out;
    }

    private static void add(List<Ratio> out, String image, String what, Cell ocitree, Cell other, boolean speedup) {
        if (ocitree == null || other == null) {
            return;
        }
        Measurement o = ocitree.median();
        Measurement p = other.median();
        double v = Double.NaN;
        double cpu = Double.NaN;
        if (o.ok() && p.ok()) {
            v = speedup ? p.wall() / o.wall() : o.wall() / p.wall();
            cpu = speedup ? other.medianCpu() / ocitree.medianCpu() : ocitree.medianCpu() / other.medianCpu();
        }
        out.add(new Ratio(image, what, ocitree.contender().label(), other.contender().label(), v, cpu));
    }

    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        List<Ratio> r = ratios();
        t.add(target(r, "four-gzip", "speedup vs the ostree-ext way", "four-layer gzip: >= 10x faster than the ostree-ext way", 10, true));
        t.add(target(r, "four-gzip", "speedup vs umoci + ostree commit", "four-layer gzip: >= 10x faster than umoci + ostree commit", 10, true));
        t.add(target(r, "four-gzip", "ocitree (bare-user-only) / decompression floor", "four-layer gzip: <= 1.5x the decompression floor", 1.5, false));
        t.add(target(r, "one-gzip", "speedup vs ostree commit --tree=tar= (bare-user-only)", "one-layer gzip: >= 4x faster than ostree commit --tree=tar=", 4, true));
        t.add(target(r, "one-gzip", "speedup vs ostree commit --tree=tar= (archive)", "archive mode (one-layer gzip): >= 3x faster than ostree commit --tree=tar= archive", 3, true));
        Double mem = memoryDifference();
        String memName = options.memorySizes().isEmpty() ? "memory check (not run: --no-memory)"
                : "peak RSS of ocitree importing a ~" + Options.label(options.memorySizes().get(0)) + " and a ~"
                + Options.label(options.memorySizes().get(1)) + " image within 10%";
        t.add(new Target(memName, "memory", mem == null ? Double.NaN : mem, 0.10, false, mem == null ? null : mem <= 0.10));
        return t;
    }

    private static Target target(List<Ratio> rs, String image, String what, String name, double threshold, boolean atLeast) {
        Ratio r = rs.stream().filter(x -> x.image().equals(image) && x.what().equals(what)).findFirst().orElse(null);
        if (r == null || Double.isNaN(r.value())) {
            return new Target(name, image + ": " + what, Double.NaN, threshold, atLeast, null);
        }
        return new Target(name, image + ": " + what, r.value(), threshold, atLeast,
                atLeast ? r.value() >= threshold : r.value() <= threshold);
    }

    /** |large - small| / small of the median peak RSS, or null if not measured. */
    Double memoryDifference() {
        if (memorySmall == null || memoryLarge == null) {
            return null;
        }
        Measurement s = memorySmall.median();
        Measurement l = memoryLarge.median();
        if (!s.ok() || !l.ok()) {
            return null;
        }
        return Math.abs(l.maxRssKb() - s.maxRssKb()) / (double) s.maxRssKb();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nmachine: %s, %d cores, %d MiB; %s; %s%n", machine.cpu(), machine.cores(),
                machine.memoryMiB(), machine.kernel(), machine.jdk()));
        sb.append("command: ").append(options.command()).append('\n');
        sb.append("fsync: ").append(run.get("fsync")).append('\n');
        sb.append("load average at start / end: ").append(run.get("loadavgStart")).append(" / ")
                .append(run.get("loadavgEnd")).append('\n');
        if (ocitreeUnavailable != null) {
            sb.append("ocitree: ").append(ocitreeUnavailable).append('\n');
        }
        for (Image img : images) {
            sb.append(String.format(Locale.ROOT, "image %s: %d layer(s), %s uncompressed, %s compressed%n", img.name(),
                    img.layers().size(), Options.human(img.uncompressedBytes()), Options.human(img.compressedBytes())));
        }
        sb.append(String.format(Locale.ROOT, "%n%-10s %-26s %9s %9s %9s  %s%n", "image", "contender", "wall s", "cpu s",
                "RSS MiB", "root tree / status"));
        for (Cell c : cells) {
            Measurement m = c.median();
            String tail = m.ok() ? (m.tree() == null ? "" : m.tree().substring(0, Math.min(12, m.tree().length())))
                    + (c.failures() > 0 ? " (" + c.failures() + " failed runs)" : "") : m.status();
            sb.append(String.format(Locale.ROOT, "%-10s %-26s %9s %9s %9s  %s%n", c.image().name(), c.contender().label(),
                    m.ok() ? num(m.wall(), 2) : "-", num(c.medianCpu(), 2), m.ok() ? num(m.rssMiB(), 0) : "-", tail));
        }
        sb.append(String.format(Locale.ROOT, "%nratios (median wall time; cpu in brackets)%n"));
        List<Ratio> measured = ratios().stream().filter(r -> !Double.isNaN(r.value())).toList();
        for (Ratio r : measured) {
            sb.append(String.format(Locale.ROOT, "%-10s %-55s %7s  (cpu %s)%n", r.image(), r.what(), x(r.value()),
                    x(r.cpuValue())));
        }
        if (measured.isEmpty()) {
            sb.append("none: ").append(ocitreeUnavailable != null ? ocitreeUnavailable : "no ocitree run succeeded").append('\n');
        }
        if (memorySmall != null && memoryLarge != null) {
            sb.append(String.format(Locale.ROOT, "%nmemory: ocitree bare-user-only peak RSS, four-layer gzip %s: %s; %s: %s",
                    Options.human(memorySmall.image().uncompressedBytes()), memorySmall.median(),
                    Options.human(memoryLarge.image().uncompressedBytes()), memoryLarge.median()));
            Double d = memoryDifference();
            sb.append(d == null ? "\n" : String.format(Locale.ROOT, "; difference %.1f%%%n", 100 * d));
        }
        sb.append(String.format(Locale.ROOT, "%ntargets (issue 6)%n"));
        for (Target t : targets()) {
            String v = t.ratio().equals("memory") ? (Double.isNaN(t.value()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * t.value()))
                    : x(t.value());
            sb.append(String.format(Locale.ROOT, "  %-4s %-85s %s%n", t.met() == null ? "n/a" : (t.met() ? "MET" : "MISS"),
                    t.name(), v));
        }
        if (profile != null) {
            sb.append("\nprofile of ").append(profiled).append(":\n").append(profile.text());
        }
        return sb.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String x(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    Map<String, Object> json() {
        List<Object> imgs = new ArrayList<>();
        for (Image i : images) {
            imgs.add(Json.obj("name", i.name(), "ref", i.ociRef(), "layers", i.layers().size(),
                    "uncompressedBytes", i.uncompressedBytes(), "compressedBytes", i.compressedBytes(),
                    "layerDigests", i.layers().stream().map(Image.Layer::digest).toList(),
                    "description", i.description()));
        }
        List<Object> results = new ArrayList<>();
        for (Cell c : cells) {
            results.add(cellJson(c));
        }
        List<Object> ratios = new ArrayList<>();
        for (Ratio r : ratios()) {
            ratios.add(Json.obj("image", r.image(), "ratio", r.what(), "ocitree", r.ocitree(), "other", r.other(),
                    "wall", r.value(), "cpu", r.cpuValue()));
        }
        List<Object> targets = new ArrayList<>();
        for (Target t : targets()) {
            targets.add(Json.obj("target", t.name(), "measured", t.ratio(), "value", t.value(),
                    "threshold", t.threshold(), "met", t.met()));
        }
        Map<String, Object> memory = null;
        if (memorySmall != null && memoryLarge != null) {
            memory = Json.obj("small", cellJson(memorySmall), "large", cellJson(memoryLarge),
                    "difference", memoryDifference());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", options.command());
        root.put("run", run);
        root.put("machine", machine.json());
        root.put("repetitions", options.reps());
        root.put("seed", options.seed());
        root.put("fromDir", options.fromDir() == null ? null : options.fromDir().toString());
        root.put("ocitree", ocitreeUnavailable == null ? "available" : ocitreeUnavailable);
        root.put("images", imgs);
        root.put("results", results);
        root.put("ratios", ratios);
        root.put("targets", targets);
        root.put("memory", memory);
        root.put("profile", profile == null ? null : Json.obj("of", profiled, "summary", profile.json()));
        return root;
    }

    private static Map<String, Object> cellJson(Cell c) {
        Measurement m = c.median();
        List<Object> runs = new ArrayList<>();
        for (Measurement r : c.runs()) {
            runs.add(Json.obj("wall", r.wall(), "user", r.user(), "sys", r.sys(), "maxRssKb", r.maxRssKb(),
                    "status", r.status(), "tree", r.tree()));
        }
        return Json.obj("image", c.image().name(), "imageBytes", c.image().uncompressedBytes(), "tool", c.contender().tool(),
                "mode", c.contender().mode(), "command", c.contender().describe(), "status", m.status(),
                "medianWall", m.wall(), "medianCpu", c.medianCpu(), "medianMaxRssKb", m.maxRssKb(),
                "tree", m.tree(), "runs", runs);
    }
}
