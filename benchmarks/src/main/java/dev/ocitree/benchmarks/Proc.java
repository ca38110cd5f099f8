package dev.ocitree.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the helper commands of the harness (tar, pigz, sha256sum, ostree init...) and fails loudly. */
final class Proc {
    private Proc() {
    }

    /** Runs {@code cmd} in {@code dir}, returns its stdout; throws naming the command and its stderr on failure. */
    static String run(Path dir, String... cmd) {
        return run(dir, List.of(cmd));
    }

    static String run(Path dir, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // drain stderr on its own thread so a chatty tool cannot block on a full pipe
            StringBuilder err = new StringBuilder();
            Thread t = new Thread(() -> {
                try {
                    err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process is gone; its exit code tells the story
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            t.join();
            if (rc != 0) {
                throw new IllegalStateException("command failed (exit " + rc + "): " + String.join(" ", cmd)
                        + "\n" + err.toString().strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Runs a bash command line (for pipes and redirections). */
    static String sh(Path dir, String script) {
        return run(dir, "bash", "-o", "pipefail", "-c", script);
    }

    /** Whether {@code cmd} exits 0 (output discarded). */
    static boolean ok(Path dir, String... cmd) {
        try {
            run(dir, cmd);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Single-quotes a word for bash. */
    static String q(Object o) {
        return "'" + o.toString().replace("'", "'\\''") + "'";
    }
}
