package dev.ocitree.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ocitree} command line in its own JVM, started the way {@code ./ocitree} starts it
 * (serial collector, fixed heap), from the test's class path so no jar needs building first.
 */
final class CliProcess {

    /** What a finished run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        String ok() {
            if (exitCode != 0) {
                throw new AssertionError("ocitree exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return stdout;
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code ocitree --repo=REPO ARGS...} with a heap of {@code heap} (e.g. "256m"). */
    static CliProcess start(Path work, String heap, Path repo, String... args) {
        return start(work, List.of("-XX:+UseSerialGC", "-Xms" + heap, "-Xmx" + heap), repo, args);
    }

    /** Starts {@code ocitree --repo=REPO ARGS...} with these memory options (collector, heap). */
    static CliProcess start(Path work, List<String> memoryOptions, Path repo, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(memoryOptions);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "dev.ocitree.cli.OcitreeCommand", "--repo=" + repo));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "cli-out", ".txt");
            Path err = Files.createTempFile(work, "cli-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("LC_ALL", "C.UTF-8");
            return new CliProcess(pb.start(), out, err);
        } catch (IOException e) {
            throw new AssertionError("cannot start ocitree", e);
        }
    }

    /** Runs to the end (at most {@code seconds}; a run still going then is a hang and fails the test). */
    static Result run(Path work, Path repo, long seconds, String... args) {
        return start(work, "256m", repo, args).await(seconds);
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the process to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Result await(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("ocitree did not finish within " + seconds + " s (a hang?): "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException e) {
                // temp dir cleanup removes it
            }
        }
    }
}
