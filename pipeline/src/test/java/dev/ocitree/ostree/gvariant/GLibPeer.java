package dev.ocitree.ostree.gvariant;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs GLib's GVariant implementation (PyGObject, test resource {@code glib/gvariant_peer.py}) on a
 * batch of JSON-line requests. Fails — never skips — when python3 with {@code gi} is missing
 * (scripts/install-peers.sh installs python3-gi).
 */
final class GLibPeer {

    private GLibPeer() {
    }

    static List<String> run(List<String> requests) throws IOException, InterruptedException {
        Path script = Files.createTempFile("gvariant_peer", ".py");
        Path in = Files.createTempFile("gvariant_in", ".jsonl");
        Path out = Files.createTempFile("gvariant_out", ".txt");
        Path err = Files.createTempFile("gvariant_err", ".txt");
        try (InputStream s = GLibPeer.class.getResourceAsStream("/glib/gvariant_peer.py")) {
            Files.write(script, s.readAllBytes());
            Files.write(in, (String.join("\n", requests) + "\n").getBytes(StandardCharsets.UTF_8));
            Process p = new ProcessBuilder(python(), script.toString()).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("GLib peer timed out");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("GLib peer failed:\n" + Files.readString(err));
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(out));
            if (lines.size() != requests.size()) {
                throw new AssertionError("GLib peer answered " + lines.size() + " of " + requests.size() + " requests");
            }
            return lines;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The system python3 that has PyGObject (a pyenv shim earlier on the PATH may not). */
    private static String python() throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>(List.of("/usr/bin/python3"));
        candidates.add(PeerTools.require("python3").toString());
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                Process p = new ProcessBuilder(c, "-c", "import gi; gi.require_version('GLib', '2.0')")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return c;
                }
            }
        }
        throw new AssertionError("python3 with PyGObject (Debian python3-gi, gir1.2-glib-2.0) is not installed;"
                + " GLibCrossCheckTest compares the GVariant codec with GLib. Run scripts/install-peers.sh.");
    }
}
