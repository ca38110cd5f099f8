package dev.ocitree.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a registry that injects one fault into the GETs of one blob:
 * cut the body off halfway (once), cut it and then ignore the {@code Range} of the retry, stall
 * halfway (once), answer 429 with {@code Retry-After: 1} (once), or flip a byte (always). Every
 * request is logged as {@code "GET PATH [RANGE] -> STATUS"}.
 */
final class FaultProxy implements AutoCloseable {

    enum Fault { CUT, CUT_THEN_IGNORE_RANGE, STALL, TOO_MANY_REQUESTS, FLIP }

    private static final List<String> FORWARDED = List.of("Content-Type", "Docker-Content-Digest", "Content-Range",
            "WWW-Authenticate", "Location", "Accept-Ranges");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newHttpClient();
    private final String upstream;
    private final String blobDigest;
    private final Fault fault;
    private final AtomicInteger faults = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger blobsInFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong blobBytesSent = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger maxBlobsInFlight = new AtomicInteger();
    private final long blobDelayMillis;
    private HttpServer storage;
    private String basicAuth;
    private final List<String> storageRequests = new CopyOnWriteArrayList<>();

    FaultProxy(String upstreamHost, String blobDigest, Fault fault) throws IOException {
        this(upstreamHost, blobDigest, fault, 0);
    }

    /** No fault; every blob GET is answered after {@code blobDelayMillis}, so overlapping downloads show. */
    static FaultProxy slow(String upstreamHost, long blobDelayMillis) throws IOException {
        return new FaultProxy(upstreamHost, "none", null, blobDelayMillis);
    }

    private FaultProxy(String upstreamHost, String blobDigest, Fault fault, long blobDelayMillis) throws IOException {
        this.blobDelayMillis = blobDelayMillis;
        this.upstream = "http://" + upstreamHost;
        this.blobDigest = blobDigest;
        this.fault = fault;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requests() {
        return requests;
    }

    /**
     * A registry front that asks for Basic credentials and answers every blob GET with a 307 to a
     * "storage" server on another port (another origin), as registries backed by object storage do.
     */
    static FaultProxy redirecting(String upstreamHost, String user, String password) throws IOException {
        FaultProxy proxy = new FaultProxy(upstreamHost, "none", null, 0);
        proxy.basicAuth = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        proxy.storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.storage.createContext("/", ex -> {
            proxy.storageRequests.add(ex.getRequestURI().getRawPath() + " Authorization="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            proxy.forward(ex, "/v2" + ex.getRequestURI().getRawPath().substring("/storage".length()));
        });
        proxy.storage.setExecutor(proxy.executor);
        proxy.storage.start();
        return proxy;
    }

    /** "PATH Authorization=VALUE" of every request the storage server got. */
    List<String> storageRequests() {
        return storageRequests;
    }

    /** Blob bytes written to client sockets so far (a write blocks when the client stops reading). */
    long blobBytesSent() {
        return blobBytesSent.get();
    }

    /** The most blob GETs the proxy was answering at the same time. */
    int maxBlobsInFlight() {
        return maxBlobsInFlight.get();
    }

    private void serve(HttpExchange ex) throws IOException {
        if (basicAuth != null) {
            if (!basicAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " -> 401");
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"proxy\"");
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            if (ex.getRequestURI().getRawPath().contains("/blobs/")) {
                requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " -> 307");
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + storage.getAddress().getPort()
                        + "/storage" + ex.getRequestURI().getRawPath().substring("/v2".length()));
                ex.sendResponseHeaders(307, -1);
                ex.close();
                return;
            }
        }
        boolean blob = ex.getRequestURI().getRawPath().contains("/blobs/");
        if (!blob) {
            forward(ex);
            return;
        }
        maxBlobsInFlight.accumulateAndGet(blobsInFlight.incrementAndGet(), Math::max);
        try {
            if (blobDelayMillis > 0) {
                Thread.sleep(blobDelayMillis);
            }
            forward(ex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blobsInFlight.decrementAndGet();
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        forward(ex, ex.getRequestURI().getRawPath());
    }

    private void forward(HttpExchange ex, String path) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        boolean target = path.endsWith("/blobs/" + blobDigest) && ex.getRequestMethod().equals("GET");
        int n = target ? faults.getAndIncrement() : -1;
        if (target && n == 0 && fault == Fault.TOO_MANY_REQUESTS) {
            requests.add("GET " + path + " -> 429");
            byte[] body = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}".getBytes();
            ex.getResponseHeaders().set("Retry-After", "1");
            ex.sendResponseHeaders(429, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + path));
        for (String h : List.of("Accept")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                request.header(h, v);
            }
        }
        if (range != null && !(target && fault == Fault.CUT_THEN_IGNORE_RANGE)) {
            request.header("Range", range);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        byte[] body = response.body();
        requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range) + " -> "
                + response.statusCode());
        for (String h : FORWARDED) {
            response.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
        }
        if (target && fault == Fault.FLIP && body.length > 0) {
            body = body.clone();
            body[body.length / 2] ^= 0x01;
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(response.statusCode(), head ? -1 : body.length == 0 ? -1 : body.length);
        if (head || body.length == 0) {
            ex.close();
            return;
        }
        OutputStream out = ex.getResponseBody();
        if (target && n == 0 && (fault == Fault.CUT || fault == Fault.CUT_THEN_IGNORE_RANGE)) {
            out.write(body, 0, body.length / 2);
            out.flush();
            ex.close(); // fewer bytes than Content-Length: the server closes the connection
            return;
        }
        if (target && n == 0 && fault == Fault.STALL) {
            out.write(body, 0, body.length / 2);
            out.flush();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (out) {
            int from = target && n == 0 && fault == Fault.STALL ? body.length / 2 : 0;
            for (int at = from; at < body.length; at += 64 * 1024) {
                int len = Math.min(64 * 1024, body.length - at);
                out.write(body, at, len);
                if (path.contains("/blobs/")) {
                    blobBytesSent.addAndGet(len);
                }
            }
        } catch (IOException e) {
            // the client gave up on a stalled response
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (storage != null) {
            storage.stop(0);
        }
        executor.shutdownNow();
    }
}
