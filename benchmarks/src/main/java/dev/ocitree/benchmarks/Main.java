package dev.ocitree.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code benchmarks/run.sh}: builds the images, runs every contender on every image
 * {@code --reps} times (alternating: each repetition runs every contender once, in an order rotated
 * per repetition), then the memory check and a JFR profile of one ocitree import, and writes
 * {@code benchmarks.json}, {@code benchmarks.png} and the table.
 */
public final class Main {
    private static final List<String> REQUIRED = List.of("ostree", "umoci", "tar", "pigz", "zstd", "sha256sum", "/usr/bin/time");

    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(Options.USAGE);
            return;
        }
        if (args.length > 0 && args[args.length - 1].startsWith("--summarise-jfr=")) {
            // summarise a recording made elsewhere, e.g. java -XX:StartFlightRecording=... -jar ocitree.jar import ...
            System.out.print(Profiler.summarise(Path.of(args[args.length - 1].substring(16))).text());
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(2);
            return;
        }
        for (String tool : REQUIRED) {
            if (!Proc.ok(null, "bash", "-c", "command -v " + tool)) {
                System.err.println("benchmarks: " + tool + " is missing; run scripts/install-peers.sh as root");
                System.exit(2);
            }
        }
        try {
            run(o);
        } catch (RuntimeException | IOException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(Options o) throws IOException {
        Files.createDirectories(o.work());
        Files.createDirectories(o.out());
        Map<String, Object> runInfo = new LinkedHashMap<>();
        runInfo.put("started", Instant.now().toString());
        runInfo.put("loadavgStart", loadavg());
        runInfo.put("fsync", o.fsync()
                ? "each tool's default (ostree: one syncfs per transaction; ocitree: syncfs, rename, syncfs before each ref)"
                : "off: core.fsync=false in every repository");
        Machine machine = Machine.probe();
        ImageBuilder builder = new ImageBuilder(o.work(), o.seed(), o.fromDir());
        List<Image> images = new ArrayList<>();
        for (String name : o.images()) {
            images.add(builder.image(name, o.sizeBytes()));
        }
        Runner runner = new Runner(o.root(), o.work(), o.fsync());
        if (runner.ocitreeUnavailable() != null) {
            System.out.println("ocitree: " + runner.ocitreeUnavailable() + " — measuring the other tools only");
        }
        List<Contender> contenders = Contender.matrix(o.contenders(), o.modes());
        List<Cell> cells = new ArrayList<>();
        for (Image img : images) {
            for (Contender c : contenders) {
                cells.add(new Cell(img, c));
            }
        }
        Path tsv = o.work().resolve("results.tsv");
        Files.writeString(tsv, "rep\timage\tcontender\twall\tuser\tsys\tmaxRssKb\tstatus\ttree\n");
        for (int rep = 1; rep <= o.reps(); rep++) {
            for (Image img : images) {
                List<Cell> order = new ArrayList<>(cells.stream().filter(c -> c.image() == img).toList());
                Collections.rotate(order, -(rep - 1));
                for (Cell c : order) {
                    String name = img.name() + "-" + c.contender().label().replace(' ', '-') + "-r" + rep;
                    Measurement m = runner.measure(c.contender(), img, name, null);
                    c.add(m);
                    record(tsv, rep, c, m);
                    System.out.printf(Locale.ROOT, "[rep %d/%d] %-10s %-26s %s%n", rep, o.reps(), img.name(),
                            c.contender().label(), m);
                }
                runner.settle();
            }
        }
        Cell small = null;
        Cell large = null;
        if (!o.memorySizes().isEmpty()) {
            Contender oc = new Contender("ocitree", Contender.TARGET_MODE);
            small = new Cell(builder.image("four-gzip", o.memorySizes().get(0)), oc);
            large = new Cell(builder.image("four-gzip", o.memorySizes().get(1)), oc);
            for (int rep = 1; rep <= o.reps(); rep++) {
                for (Cell c : rep % 2 == 1 ? List.of(small, large) : List.of(large, small)) {
                    Measurement m = runner.measure(oc, c.image(), "memory-" + Options.label(o.memorySizes()
                            .get(c == small ? 0 : 1)) + "-r" + rep, null);
                    c.add(m);
                    System.out.printf(Locale.ROOT, "[memory %d/%d] %s four-gzip: %s%n", rep, o.reps(),
                            Options.human(c.image().uncompressedBytes()), m);
                }
            }
        }
        Profiler.Summary profile = null;
        String profiled = null;
        if (o.profile() && runner.ocitreeUnavailable() == null && !images.isEmpty()) {
            Image target = images.stream().filter(i -> i.name().equals("four-gzip")).findFirst().orElse(images.get(0));
            Path jfr = o.work().resolve("profile.jfr");
            Files.deleteIfExists(jfr);
            String opts = "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true";
            Measurement m = runner.measure(new Contender("ocitree", Contender.TARGET_MODE), target, "profile", opts);
            profiled = "ocitree import (bare-user-only) of " + target.name() + " (" + Options.human(target.uncompressedBytes())
                    + "), " + m;
            System.out.println("profile: " + profiled);
            if (m.ok() && Files.exists(jfr)) {
                profile = Profiler.summarise(jfr);
                Files.writeString(o.work().resolve("profile.txt"), profiled + "\n" + profile.text());
            }
        }
        runner.cleanUp();
        runInfo.put("finished", Instant.now().toString());
        runInfo.put("loadavgEnd", loadavg());
        Report report = new Report(o, machine, images, cells, small, large, profile, profiled,
                runner.ocitreeUnavailable(), runInfo);
        String text = report.text();
        System.out.println(text);
        Files.writeString(o.work().resolve("report.txt"), text);
        Files.writeString(o.out().resolve("benchmarks.json"), Json.write(report.json(), true));
        Chart.write(report, String.format(Locale.ROOT, "%s, %d cores, %s; %d repetitions; fsync %s; %s", machine.cpu(),
                machine.cores(), machine.jdk(), o.reps(), o.fsync() ? "on" : "off", o.command()), o.out().resolve("benchmarks.png"));
        System.out.println("wrote " + o.out().resolve("benchmarks.json") + " and " + o.out().resolve("benchmarks.png"));
    }

    private static void record(Path tsv, int rep, Cell c, Measurement m) {
        try {
            Files.writeString(tsv, String.format(Locale.ROOT, "%d\t%s\t%s\t%.2f\t%.2f\t%.2f\t%d\t%s\t%s%n", rep,
                    c.image().name(), c.contender().label(), m.wall(), m.user(), m.sys(), m.maxRssKb(), m.status(),
                    m.tree()), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
