package dev.ocitree.exports;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CNCF distribution registry ({@code docker-registry serve}) on 127.0.0.1 with a free
 * port chosen at start, anonymous, plain HTTP, storage in a test directory; {@link #close()} stops it.
 */
final class LoopbackRegistry implements AutoCloseable {

    private final Process process;
    private final int port;

    private LoopbackRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LoopbackRegistry start(Path dir) throws IOException, InterruptedException {
        PeerTools.require("docker-registry");
        Files.createDirectories(dir.resolve("data"));
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + dir.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
            ProcessBuilder pb = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
            Process p = pb.start();
            LoopbackRegistry registry = new LoopbackRegistry(p, port);
            if (registry.awaitReady(Duration.ofSeconds(15))) {
                return registry;
            }
            registry.close();
            if (attempt == 2) {
                throw new IOException("docker-registry did not answer on 127.0.0.1:" + port + ": "
                        + Files.readString(dir.resolve("registry.log")));
            }
        }
    }

    private boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** {@code 127.0.0.1:PORT}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
