package dev.ocitree.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Bearer token server as distribution's token auth expects (docs/spec/auth/token.md): {@code GET
 * /token?service=S&scope=repository:NAME:ACTIONS} with Basic credentials answers a JWT signed RS256
 * by a self-signed certificate (made with openssl) carried in the {@code x5c} header; the same
 * certificate is the registry's {@code rootcertbundle}. Wrong or missing credentials get a 401.
 */
final class TokenServer implements AutoCloseable {

    static final String SERVICE = "ocitree-test-registry";
    static final String ISSUER = "ocitree-test-issuer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path certificate;
    private final PrivateKey key;
    private final String certificateDer;
    private final String expectedAuth;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger badTokens = new java.util.concurrent.atomic.AtomicInteger();

    TokenServer(Path dir, String user, String password) throws Exception {
        Files.createDirectories(dir);
        PeerTools.runOk(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=" + ISSUER);
        PeerTools.runOk(dir, "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-out", "key8.pem");
        this.certificate = dir.resolve("cert.pem");
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(dir.resolve("key8.pem"))));
        this.certificateDer = Base64.getEncoder().encodeToString(pem(certificate));
        this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certificate;
    }

    private volatile int expiresIn = 300;

    /** The {@code expires_in} of the next tokens (the registry itself accepts them 60 s longer). */
    void expiresIn(int seconds) {
        expiresIn = seconds;
    }

    /** The next {@code n} tokens carry a broken signature: the registry answers them 401 invalid_token. */
    void breakNextTokens(int n) {
        badTokens.set(n);
    }

    /** "SCOPES -> STATUS" of every token request, in order. */
    List<String> requests() {
        return requests;
    }

    private static byte[] pem(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            List<String> scopes = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("scope")) {
                    scopes.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            boolean ok = expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"));
            requests.add(String.join(" ", scopes) + " -> " + (ok ? 200 : 401));
            byte[] body;
            if (!ok) {
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username/password\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(401, body.length);
            } else {
                ObjectNode answer = JSON.createObjectNode();
                answer.put("token", jwt(scopes)).put("expires_in", expiresIn);
                body = JSON.writeValueAsBytes(answer);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
            }
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(List<String> scopes) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        header.putArray("x5c").add(certificateDer);
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", "testuser").put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            ObjectNode access = claims.withArray("access").addObject();
            access.put("type", parts[0]).put("name", scope.substring(parts[0].length() + 1, scope.lastIndexOf(':')));
            for (String action : parts[parts.length - 1].split(",")) {
                access.withArray("actions").add(action);
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
        byte[] signature = rsa.sign();
        if (badTokens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            signature[0] ^= 1;
        }
        return signed + "." + b64.encodeToString(signature);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
