package dev.ocitree.registry;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8) on 127.0.0.1 with a free port and its
 * storage in a temporary directory: anonymous, htpasswd Basic auth (bcrypt lines from apache2-utils'
 * {@code htpasswd -nbB}, the only format distribution accepts) over HTTP or over HTTPS with a test CA
 * made by openssl, or Bearer tokens from a {@link TokenServer}. Images are pushed with the
 * real {@code skopeo copy}. {@link #close()} stops the process.
 */
final class LoopbackRegistry implements AutoCloseable {

    static final String USER = "testuser";
    static final String PASSWORD = "s3cret-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    private static final Pattern REQUEST = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3})");
    private static final Pattern ACCESS = Pattern.compile("\"(GET|HEAD) (\\S+) HTTP/[0-9.]+\" (\\d{3}) (\\d+)");

    private final Path dir;
    private final int port;
    private final boolean basicAuth;
    private final boolean tls;
    private final Process process;

    private LoopbackRegistry(Path dir, boolean basicAuth, boolean tls) throws IOException, InterruptedException {
        this(dir, basicAuth, tls, null);
    }

    private LoopbackRegistry(Path dir, boolean basicAuth, boolean tls, TokenServer tokens)
            throws IOException, InterruptedException {
        this.dir = dir;
        this.basicAuth = basicAuth;
        this.tls = tls;
        Files.createDirectories(dir.resolve("data"));
        String tlsConfig = tls ? makeCertificates() : "";
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        if (basicAuth && tokens == null) {
            Path htpasswd = dir.resolve("htpasswd");
            String line = PeerTools.runOk(dir, "htpasswd", "-nbB", USER, PASSWORD).strip() + "\n";
            Files.writeString(htpasswd, line);
            config.append("auth:\n  htpasswd:\n    realm: test-realm\n    path: ").append(htpasswd).append('\n');
        }
        if (tokens != null) {
            config.append("auth:\n  token:\n    realm: ").append(tokens.realm())
                    .append("\n    service: ").append(TokenServer.SERVICE)
                    .append("\n    issuer: ").append(TokenServer.ISSUER)
                    .append("\n    rootcertbundle: ").append(tokens.certificate()).append('\n');
        }
        Process started = null;
        int chosen = 0;
        for (int attempt = 0; attempt < 5 && started == null; attempt++) {
            chosen = freePort();
            Path file = dir.resolve("config.yml");
            Files.writeString(file, config + "http:\n  addr: 127.0.0.1:" + chosen + "\n  secret: "
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "\n" + tlsConfig);
            ProcessBuilder pb = new ProcessBuilder(PeerTools.require("docker-registry").toString(), "serve",
                    file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
            Process p = pb.start();
            if (tls ? waitListening(p, chosen) : waitReady(p, chosen)) {
                started = p;
            } else {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (started == null) {
            throw new AssertionError("docker-registry did not start; log:\n" + Files.readString(log()));
        }
        this.port = chosen;
        this.process = started;
    }

    static LoopbackRegistry anonymous(Path dir) throws Exception {
        return new LoopbackRegistry(dir, false, false);
    }

    /** Bearer token auth: tokens from {@code tokens}, whose certificate the registry trusts. */
    static LoopbackRegistry token(Path dir, TokenServer tokens) throws Exception {
        return new LoopbackRegistry(dir, true, false, tokens);
    }

    static LoopbackRegistry basic(Path dir) throws Exception {
        return new LoopbackRegistry(dir, true, false);
    }

    /** Basic auth over HTTPS, with a certificate for 127.0.0.1 signed by a throw-away CA ({@link #certDir()}). */
    static LoopbackRegistry basicTls(Path dir) throws Exception {
        return new LoopbackRegistry(dir, true, true);
    }

    /** A directory holding the test CA as {@code ca.crt} (the layout of skopeo's --cert-dir). */
    Path certDir() {
        return dir.resolve("tls/certs.d");
    }

    /** A CA and a server certificate for IP 127.0.0.1 made with openssl; returns the registry's tls config. */
    private String makeCertificates() throws IOException {
        Path t = Files.createDirectories(dir.resolve("tls/certs.d")).getParent();
        PeerTools.runOk(t, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=ocitree-test-ca",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        PeerTools.runOk(t, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(t.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                + "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        PeerTools.runOk(t, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.crt");
        Files.copy(t.resolve("ca.crt"), t.resolve("certs.d/ca.crt"));
        return "  tls:\n    certificate: " + t.resolve("server.crt") + "\n    key: " + t.resolve("server.key") + "\n";
    }

    /** {@code 127.0.0.1:PORT}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    Path log() {
        return dir.resolve("registry.log");
    }

    /** Where the registry keeps blob {@code sha256:<hex>}. */
    Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    /** Pushes {@code oci:LAYOUT:TAG} to {@code REPOSITORY:TAG} with skopeo copy and {@code extraArgs}. */
    void push(Path layout, String tag, String repository, String... extraArgs) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                "--dest-tls-verify=false"));
        if (basicAuth) {
            cmd.add("--dest-creds=" + USER + ":" + PASSWORD);
        }
        cmd.addAll(List.of(extraArgs));
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + host() + "/" + repository + ":" + tag);
        PeerTools.runOk(dir, cmd.toArray(String[]::new));
    }

    /**
     * The uploads of {@code repository} whose bytes the registry keeps (a {@code data} file under
     * {@code _uploads/UUID/}; a cancelled upload may leave its empty hash state behind).
     */
    List<String> uploadsInProgress(String repository) throws IOException {
        Path uploads = dir.resolve("data/docker/registry/v2/repositories/" + repository + "/_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.walk(uploads)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().equals("data"))
                    .map(p -> uploads.relativize(p).toString()).toList();
        }
    }

    /** {@code METHOD PATH STATUS} of every request in the access log, in order. */
    List<String> requests() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = REQUEST.matcher(Files.readString(log(), StandardCharsets.UTF_8));
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return out;
    }

    /** Bytes the registry sent in answers to GETs of the given blobs (from its access log). */
    long blobBytesServed(java.util.Collection<String> digests) throws IOException {
        long total = 0;
        Matcher m = ACCESS.matcher(Files.readString(log(), StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(1).equals("GET") && m.group(2).contains("/blobs/sha256:")
                    && digests.contains(m.group(2).substring(m.group(2).indexOf("/blobs/") + 7))) {
                total += Long.parseLong(m.group(4));
            }
        }
        return total;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static boolean waitReady(Process p, int port) throws InterruptedException {
        for (int i = 0; i < 200 && p.isAlive(); i++) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v2/").openConnection();
                c.setConnectTimeout(500);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200 || code == 401) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean waitListening(Process p, int port) throws InterruptedException {
        for (int i = 0; i < 200 && p.isAlive(); i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(100);
                return p.isAlive();
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
