package dev.ocitree.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one contender on one image under {@code /usr/bin/time}: a fresh repository initialised by
 * {@code ostree init} (not timed; with {@code core.fsync=false} when asked), {@code sync} so no run
 * pays for the previous one's writeback, the measured command with its output in a log file, then
 * (not timed) the root tree checksum of what it wrote, read back with {@code ostree ls}. The page
 * cache is left warm for every contender alike.
 *
 * <p>Each run gets its own directory, kept until {@link #cleanUp()} at the end: on ext4 without a
 * journal (as on the benchmark machine) inode allocation skips, one by one, inodes freed in the
 * last minute — the last six while their inode table block is dirty, which new files make it — so
 * a run right after deleting the previous run's tens of thousands of files would pay for that
 * delete (measured: a third to a half of a 1 GiB import's CPU, ocitree and ostree alike). Only
 * when the file system runs short of space does {@link #settle()} delete earlier runs, and then it
 * waits out that window.
 */
final class Runner {
    private static final long TIMEOUT_MINUTES = 60;
    /** ext4's window for recently freed inodes whose inode table block is dirty: 60 s + 300 s. */
    static final int SETTLE_SECONDS = 370;
    /** Below this much free space, {@link #settle()} deletes the runs so far. */
    static final long MIN_FREE_BYTES = 20L << 30;
    /** The JVM running the harness also runs ocitree, so JAVA_HOME picks the JDK of both. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Path root;
    private final Path work;
    private final Path ocitreeJar;
    private final String ocitreeUnavailable;

    private final boolean fsync;
    private int runs;

    Runner(Path root, Path work, boolean fsync) {
        this.root = root;
        this.work = work;
        this.fsync = fsync;
        String jar = System.getenv("OCITREE_JAR");
        this.ocitreeJar = jar == null || jar.isBlank() ? root.resolve("pipeline/target/ocitree.jar") : Path.of(jar);
        this.ocitreeUnavailable = probeOcitree();
    }

    /** Null when {@code ocitree import} can run, else why not. */
    String ocitreeUnavailable() {
        return ocitreeUnavailable;
    }

    private String probeOcitree() {
        if (!Files.isRegularFile(ocitreeJar)) {
            return "import not available: " + ocitreeJar + " is missing (mvn -B -DskipTests package)";
        }
        String out;
        try {
            out = Proc.run(null, JAVA, "-jar", ocitreeJar.toString(), "import", "--help");
        } catch (IllegalStateException e) {
            out = e.getMessage();
        }
        // picocli answers an unknown subcommand's --help with the top-level usage
        return out.contains("Usage: ocitree import") ? null
                : "import not available: this build of ocitree has no `import` command (`ocitree import --help`)";
    }

    /**
     * Runs {@code c} on {@code image}; {@code javaOpts} (or null) are added to the ocitree JVM's flags
     * through {@code JAVA_TOOL_OPTIONS} (e.g. a JFR recording).
     */
    Measurement measure(Contender c, Image image, String runName, String javaOpts) {
        if (c.tool().equals("ocitree") && ocitreeUnavailable != null) {
            return Measurement.unavailable(ocitreeUnavailable);
        }
        Path dir = work.resolve("run").resolve(Integer.toString(++runs));
        Path repo = dir.resolve("repo");
        Path scratch = dir.resolve("scratch");
        Path timeFile = dir.resolve("time.txt");
        Path log = work.resolve("logs").resolve(runName + ".log");
        try {
            ImageBuilder.deleteTree(dir);
            Files.createDirectories(dir);
            Files.createDirectories(log.getParent());
            if (c.needsRepo()) {
                Proc.run(null, "ostree", "--repo=" + repo, "init", "--mode=" + c.mode());
                if (!fsync) {
                    Proc.run(null, "ostree", "--repo=" + repo, "config", "set", "core.fsync", "false");
                }
            }
            Proc.run(null, "sync");
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timeFile.toString()));
            cmd.addAll(c.command(root.resolve("benchmarks/peers"), image, repo, scratch,
                    Math.min(image.layers().size(), Runtime.getRuntime().availableProcessors())));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("OCITREE_JAR", ocitreeJar.toString());
            env.put("OCITREE_JAVA", JAVA);
            if (javaOpts != null) {
                // added to the launcher's own flags (OCITREE_JAVA_OPTS would replace them)
                env.put("JAVA_TOOL_OPTIONS", javaOpts);
            }
            Files.writeString(log, "");
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return Measurement.unavailable("failed: timed out after " + TIMEOUT_MINUTES + " min (log " + log + ")");
            }
            int rc = p.exitValue();
            List<String> timeLines = Files.readAllLines(timeFile);
            if (rc != 0) {
                List<String> out = Files.readAllLines(log);
                String why = out.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit " + rc).strip();
                return Measurement.parse(timeLines, "failed: " + why + " (log " + log + ")", null);
            }
            return Measurement.parse(timeLines, "ok", c.needsRepo() ? tree(c, image, repo) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String tree(Contender c, Image image, Path repo) {
        try {
            List<String> refs = Arrays.stream(Proc.run(null, "ostree", "--repo=" + repo, "refs").split("\n"))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            String ref = c.mergedRef(image, refs);
            if (ref == null) {
                return null;
            }
            String line = Proc.run(null, "ostree", "--repo=" + repo, "ls", "-C", "-d", ref, "/").strip();
            return line.split("\\s+")[4];
        } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
            return "unreadable by ostree: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    /**
     * When less than {@link #MIN_FREE_BYTES} is free: removes every run's directory, syncs, and waits
     * until the freed inodes no longer slow allocation. Otherwise nothing.
     */
    void settle() {
        try {
            if (Files.getFileStore(work).getUsableSpace() >= MIN_FREE_BYTES) {
                return;
            }
            System.out.println("benchmarks: low on disk space: deleting earlier runs and waiting "
                    + SETTLE_SECONDS + " s (see Runner)");
            cleanUp();
            Proc.run(null, "sync");
            Thread.sleep(SETTLE_SECONDS * 1000L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Removes the repositories and scratch directories of every run. */
    void cleanUp() {
        try {
            ImageBuilder.deleteTree(work.resolve("run"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
