package dev.ocitree.ostree.repo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A tiny static file server on 127.0.0.1 (ephemeral port) that serves a repository for {@code ostree pull}. */
final class StaticHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<String> requests = new CopyOnWriteArrayList<>();

    StaticHttpServer(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> serve(root, ex));
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** "GET /path -> status" for every request, in arrival order. */
    List<String> requests() {
        return requests;
    }

    private void serve(Path root, HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Path file = root.resolve(path.substring(1)).normalize();
            boolean ok = file.startsWith(root) && Files.isRegularFile(file);
            requests.add(ex.getRequestMethod() + " " + path + " -> " + (ok ? 200 : 404));
            if (!ok) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
