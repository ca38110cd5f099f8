package dev.ocitree.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.ImageDocuments;
import dev.ocitree.oci.MediaTypes;
import dev.ocitree.operators.OcitreeException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.retry.Retry;

/**
 * The distribution-spec pull protocol against one registry repository, on reactor-netty's
 * {@link HttpClient}: manifests (with the Accept list of OCI and Docker schema 2 types), small blobs
 * read into memory, and blobs streamed as {@code Flux<ByteBuf>}.
 *
 * <p>Requests follow redirects themselves (at most {@value #MAX_REDIRECTS}), sending
 * {@code Authorization} only to the registry's own origin. A 401 is answered once per request by
 * authenticating from its challenge: Basic with the credentials, or a Bearer token fetched from the
 * challenge's realm for the requested scope and cached until it expires. Connection errors, idle
 * timeouts, 5xx and 429 (after {@code Retry-After}, capped) are retried with exponential backoff up
 * to {@link RegistryOptions#retries()} times; a blob cut off mid-stream resumes with a
 * {@code Range} request from the bytes already passed on.
 *
 * <p>Threads: responses arrive on Netty event loops and everything here runs there without
 * blocking; {@link #create} reads the auth files and certificates and must run on a thread that may
 * block.
 */
final class RegistryClient {

    static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);
    static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 4096;
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A Bearer token and when to stop using it. */
    private record Token(String header, Instant expires) {
    }

    /** What a manifest GET returned. */
    record Fetched(byte[] body, String contentType, String dockerDigest) {
    }

    private final ImageReference image;
    private final RegistryOptions options;
    private final Credentials credentials;
    private final HttpClient plain;
    private final HttpClient secure;
    private final boolean insecureAllowed;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final List<String> scopes;
    private final String purpose;
    private volatile String scheme;
    private volatile boolean basic;

    private RegistryClient(ImageReference image, String scheme, RegistryOptions options, Credentials credentials,
            SslContext ssl, List<String> scopes, String purpose) {
        this.image = image;
        this.scopes = List.copyOf(scopes);
        this.purpose = purpose;
        this.options = options;
        this.credentials = credentials;
        this.scheme = scheme;
        this.insecureAllowed = Boolean.FALSE.equals(options.tlsVerify())
                || (options.tlsVerify() == null && image.isLoopback());
        HttpClient base = HttpClient.create()
                .followRedirect(false)
                .responseTimeout(options.idleTimeout())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .headers(h -> h.set(HttpHeaderNames.USER_AGENT, "ocitree"));
        boolean verify = !Boolean.FALSE.equals(options.tlsVerify());
        this.plain = base;
        this.secure = base.secure(spec -> spec.sslContext(ssl).handlerConfigurator(handler -> {
            SSLParameters params = handler.engine().getSSLParameters();
            params.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
            handler.engine().setSSLParameters(params);
        }));
    }

    /**
     * A client for {@code image}'s registry and repository. Blocking (reads auth files and
     * certificates): call it on an I/O thread.
     *
     * @param scheme {@code https}, {@code http}, or {@code null} to try https and fall back to
     *               http when the options allow it
     */
    static RegistryClient create(ImageReference image, String scheme, RegistryOptions options) {
        Credentials credentials = AuthFiles.lookup(options, image.registry(), image.repository());
        return new RegistryClient(image, scheme, options, credentials, TlsTrust.sslContext(options),
                List.of("repository:" + image.repository() + ":pull"), "");
    }

    /**
     * A client that pushes to {@code image}'s repository: tokens are asked for with the scope
     * {@code repository:NAME:pull,push}, plus {@code repository:FROM:pull} for a repository blobs
     * are mounted from ({@code mountFrom}, or null); messages start with "push to". Blocking, as
     * {@link #create}.
     */
    static RegistryClient forPush(ImageReference image, RegistryOptions options, String mountFrom) {
        Credentials credentials = AuthFiles.lookup(options, image.registry(), image.repository());
        List<String> scopes = new java.util.ArrayList<>(List.of("repository:" + image.repository() + ":pull,push"));
        if (mountFrom != null) {
            scopes.add("repository:" + mountFrom + ":pull");
        }
        return new RegistryClient(image, null, options, credentials, TlsTrust.sslContext(options), scopes,
                "push to ");
    }

    /**
     * Settles the scheme with {@code GET /v2/}: https, or — when the options allow plain HTTP —
     * https and http at once, the first to answer as a registry (200, 401 or 403) winning. One
     * port speaks only one of them, and a TLS server's answer to plain HTTP (400) does not count, so
     * a certificate error is reported as such rather than hidden by a fallback; a plain-HTTP server
     * that never answers a TLS handshake does not make the pull wait for the handshake timeout.
     */
    Mono<Void> ping() {
        if (scheme != null) {
            return Mono.empty();
        }
        Mono<String> chosen;
        if (!insecureAllowed) {
            chosen = probe("https");
        } else {
            AtomicReference<Throwable> httpsFailure = new AtomicReference<>();
            chosen = Flux.merge(probe("https").onErrorResume(e -> {
                        httpsFailure.set(e);
                        return Mono.empty();
                    }), probe("http").onErrorResume(e -> Mono.empty()))
                    .next()
                    .switchIfEmpty(Mono.defer(() -> Mono.error(httpsFailure.get() != null ? httpsFailure.get()
                            : new RegistryException(where() + ": neither https nor http answers as a registry at /v2/"))));
        }
        return chosen.doOnNext(s -> scheme = s)
                .retryWhen(retry(false))
                .onErrorMap(e -> failure("API root /v2/", e))
                .then();
    }

    private Mono<String> probe(String candidate) {
        return (candidate.equals("https") ? secure : plain).get().uri(candidate + "://" + image.apiHost() + "/v2/")
                .response((res, body) -> {
                    int status = res.status().code();
                    return status == 200 || status == 401 || status == 403 ? body.then(Mono.just(candidate))
                            : errorText(body).flatMap(text -> Mono.error(new Faults.HttpFailure(status, text, null)));
                })
                .next();
    }

    /** Fetches a manifest or index by tag or digest, at most {@link ImageDocuments#MAX_DOCUMENT_BYTES}. */
    Mono<Fetched> manifest(String reference) {
        String what = "manifest " + reference;
        return request(what, url("manifests/" + reference), Map.of(HttpHeaderNames.ACCEPT.toString(), MANIFEST_ACCEPT),
                (res, body) -> limited(body, what).map(bytes -> new Fetched(bytes,
                        res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE),
                        res.responseHeaders().get("Docker-Content-Digest"))))
                .next()
                .retryWhen(retry(false))
                .onErrorMap(e -> failure(what, e));
    }

    /** Fetches a small blob (the config) into memory; the caller verifies it. */
    Mono<byte[]> smallBlob(Descriptor descriptor) {
        String what = "blob " + descriptor.digest();
        if (descriptor.size() > ImageDocuments.MAX_DOCUMENT_BYTES) {
            return Mono.error(new RegistryException(where() + ", " + what + ": " + descriptor.size()
                    + " bytes is more than the " + ImageDocuments.MAX_DOCUMENT_BYTES + " accepted for a config"));
        }
        return request(what, url("blobs/" + descriptor.digest()), Map.of(), (res, body) -> limited(body, what))
                .next()
                .retryWhen(retry(false))
                .onErrorMap(e -> failure(what, e));
    }

    /**
     * Streams a blob, exactly {@code descriptor.size()} bytes. The subscriber owns and releases
     * every chunk (chunks still queued at cancellation are released by reactor-netty). Demand
     * drives socket reads. A response cut short is resumed from the bytes already emitted with
     * {@code Range: bytes=N-} (a 206 must start at N; a 200 is read from its start and its first N
     * bytes are dropped); the digest is not checked here.
     */
    Flux<ByteBuf> blob(Descriptor descriptor) {
        String what = "blob " + descriptor.digest();
        return Flux.defer(() -> {
            String url = url("blobs/" + descriptor.digest());
            AtomicLong emitted = new AtomicLong();
            return Flux.defer(() -> {
                long from = emitted.get();
                if (from > 0 && from == descriptor.size()) {
                    return Flux.empty(); // every byte arrived before the connection failed: nothing to resume
                }
                Map<String, String> headers = from == 0 ? Map.of() : Map.of("Range", "bytes=" + from + "-");
                return request(what, url, headers, (res, body) -> blobBody(res, body, descriptor, emitted, from, what));
            }).retryWhen(retry(true)).onErrorMap(e -> failure(what, e));
        });
    }

    private Flux<ByteBuf> blobBody(HttpClientResponse res, ByteBufFlux body, Descriptor descriptor, AtomicLong emitted,
            long from, String what) {
        long skip = from;
        if (res.status().code() == 206) {
            String range = res.responseHeaders().get("Content-Range");
            long start = rangeStart(range);
            if (start != from) {
                return body.then().thenMany(Flux.error(new RegistryException(where() + ", " + what
                        + ": asked for the bytes from " + from + ", got Content-Range " + range)));
            }
            skip = 0;
        }
        long[] toSkip = {skip};
        return body.retain().<ByteBuf>handle((chunk, sink) -> {
            if (toSkip[0] > 0) {
                int n = chunk.readableBytes();
                if (n <= toSkip[0]) {
                    toSkip[0] -= n;
                    chunk.release();
                    return;
                }
                chunk.skipBytes((int) toSkip[0]);
                toSkip[0] = 0;
            }
            long total = emitted.addAndGet(chunk.readableBytes());
            if (total > descriptor.size()) {
                chunk.release();
                sink.error(new RegistryException(where() + ", " + what + ": the registry sent more than the "
                        + descriptor.size() + " bytes its descriptor says"));
                return;
            }
            sink.next(chunk);
        }).concatWith(Flux.defer(() -> emitted.get() < descriptor.size()
                ? Flux.error(new Faults.Truncated(emitted.get(), descriptor.size())) : Flux.empty()));
    }

    private static long rangeStart(String contentRange) {
        if (contentRange == null || !contentRange.startsWith("bytes ")) {
            return -1;
        }
        int dash = contentRange.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(contentRange.substring(6, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- requests, redirects, auth -----------------------------------------------------------

    String url(String path) {
        return Objects.requireNonNull(scheme, "ping() first") + "://" + image.apiHost() + "/v2/" + image.repository()
                + "/" + path;
    }

    /** The token scopes, space-separated: also the key of the cached token. */
    private String scope() {
        return String.join(" ", scopes);
    }

    private <T> Flux<T> request(String what, String url, Map<String, String> headers,
            BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> onSuccess) {
        return exchange(HttpMethod.GET, what, URI.create(url), headers, null, onSuccess);
    }

    /**
     * One request with redirects and a 401 answered; no retries. A success is a 200 or 206 for a
     * GET, any 2xx for the other methods. {@code body} makes a new buffer for each attempt (a
     * redirect or a 401 sends the request again), which reactor-netty releases once written; null
     * for no body.
     */
    <T> Flux<T> exchange(HttpMethod method, String what, URI uri, Map<String, String> headers, Supplier<ByteBuf> body,
            BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> onSuccess) {
        return attempt(method, what, uri, headers, body, onSuccess, 0, false);
    }

    private <T> Flux<T> attempt(HttpMethod method, String what, URI uri, Map<String, String> headers,
            Supplier<ByteBuf> body, BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> onSuccess, int redirects,
            boolean authRetried) {
        boolean registryOrigin = isRegistryOrigin(uri);
        String authorization = registryOrigin ? authorization() : null;
        HttpClient client = ("https".equals(uri.getScheme()) ? secure : plain).headers(h -> {
            headers.forEach(h::set);
            if (authorization != null) {
                h.set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
        });
        HttpClient.RequestSender sender = client.request(method).uri(uri);
        HttpClient.ResponseReceiver<?> receiver = body == null ? sender
                : sender.send((req, out) -> out.send(Mono.fromSupplier(body)));
        return receiver.response((res, responseBody) -> {
            int status = res.status().code();
            if (method.equals(HttpMethod.GET) ? status == 200 || status == 206 : status / 100 == 2) {
                return onSuccess.apply(res, responseBody);
            }
            String location = res.responseHeaders().get(HttpHeaderNames.LOCATION);
            if (status >= 300 && status < 400 && location != null) {
                return responseBody.then().thenMany(Flux.error(new Faults.Redirect(uri.resolve(location))));
            }
            if (status == 416) {
                // distribution 2.8 announces the blob's length for a 33-byte body: do not read it
                return Flux.error(new Faults.HttpFailure(status, "", null));
            }
            List<String> challenges = res.responseHeaders().getAll(HttpHeaderNames.WWW_AUTHENTICATE);
            Duration retryAfter = Faults.retryAfter(res.responseHeaders().get(HttpHeaderNames.RETRY_AFTER));
            return errorText(responseBody).flatMapMany(text -> Flux.error(status == 401 && registryOrigin && !authRetried
                    ? new Faults.Unauthorized(Challenge.parse(challenges), text)
                    : new Faults.HttpFailure(status, text, retryAfter)));
        }).onErrorResume(Faults.Redirect.class, r -> redirects >= MAX_REDIRECTS
                ? Flux.error(new RegistryException(where() + ", " + what + ": more than " + MAX_REDIRECTS + " redirects"))
                : attempt(method, what, r.location, headers, body, onSuccess, redirects + 1, authRetried))
                .onErrorResume(Faults.Unauthorized.class, u -> authenticate(u, what)
                        .thenMany(Flux.defer(() -> attempt(method, what, uri, headers, body, onSuccess, redirects, true))));
    }

    private boolean isRegistryOrigin(URI uri) {
        return Objects.equals(uri.getScheme(), scheme) && image.apiHost().equalsIgnoreCase(uri.getRawAuthority());
    }

    private String authorization() {
        Token token = tokens.get(scope());
        if (token != null && Instant.now().isBefore(token.expires())) {
            return token.header();
        }
        return basic && credentials != null ? credentials.basicHeader() : null;
    }

    /** Answers a 401: Basic with the credentials, or a Bearer token from the challenge's realm. */
    private Mono<Void> authenticate(Faults.Unauthorized u, String what) {
        Challenge challenge = Challenge.preferred(u.challenges);
        if (challenge == null) {
            return Mono.error(new Faults.HttpFailure(401, u.body, null));
        }
        if (challenge.scheme().equals("basic")) {
            if (credentials == null) {
                return Mono.error(new RegistryAuthException(where() + ", " + what
                        + ": HTTP 401, the registry asks for credentials (Basic); pass --creds USER:PASSWORD or"
                        + " --authfile, or log in with skopeo/podman login" + Faults.errors(u.body), 401));
            }
            basic = true;
            return Mono.empty();
        }
        if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
            return Mono.error(new RegistryException(where() + ", " + what + ": HTTP 401 with an unsupported"
                    + " challenge '" + challenge.scheme() + "'", 401, null));
        }
        String realm = challenge.param("realm");
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (challenge.param("service") != null) {
            url.append("service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8)).append('&');
        }
        for (int i = 0; i < scopes.size(); i++) {
            url.append(i == 0 ? "" : "&").append("scope=").append(URLEncoder.encode(scopes.get(i), StandardCharsets.UTF_8));
        }
        URI tokenUri = URI.create(url.toString());
        HttpClient client = ("https".equals(tokenUri.getScheme()) ? secure : plain).headers(h -> {
            if (credentials != null) {
                h.set(HttpHeaderNames.AUTHORIZATION, credentials.basicHeader());
            }
        });
        return client.get().uri(tokenUri).response((res, body) -> {
            int status = res.status().code();
            if (status != 200) {
                return errorText(body).flatMap(text -> Mono.<byte[]>error(status == 401 || status == 403
                        ? new RegistryAuthException(where() + ", " + what + ": the token server " + realm
                                + " refused " + (credentials == null ? "anonymous access" : credentials)
                                + ": HTTP " + status + Faults.errors(text), status)
                        : new Faults.HttpFailure(status, text,
                                Faults.retryAfter(res.responseHeaders().get(HttpHeaderNames.RETRY_AFTER)))));
            }
            return limited(body, "token");
        }).next().retryWhen(retry(false)).flatMap(bytes -> {
            JsonNode json;
            try {
                json = MAPPER.readTree(bytes);
            } catch (IOException e) {
                return Mono.error(new RegistryException(where() + ": the token server " + realm
                        + " answered malformed JSON", e));
            }
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                return Mono.error(new RegistryException(where() + ": the token server " + realm + " sent no token"));
            }
            long expiresIn = json.path("expires_in").asLong(60);
            tokens.put(scope(), new Token("Bearer " + token,
                    Instant.now().plusSeconds(Math.max(1, expiresIn)).minus(TOKEN_MARGIN)));
            return Mono.<Void>empty();
        });
    }

    // ---- bodies, errors, retries -------------------------------------------------------------

    private Mono<byte[]> limited(ByteBufFlux body, String what) {
        return body.asByteArray().collect(ByteArrayOutputStream::new, (out, bytes) -> {
            if (out.size() + bytes.length > ImageDocuments.MAX_DOCUMENT_BYTES) {
                throw new RegistryException(where() + ", " + what + ": response larger than "
                        + ImageDocuments.MAX_DOCUMENT_BYTES + " bytes");
            }
            out.write(bytes, 0, bytes.length);
        }).map(ByteArrayOutputStream::toByteArray);
    }

    static Mono<String> errorText(ByteBufFlux body) {
        return body.asByteArray().collect(ByteArrayOutputStream::new, (out, bytes) -> {
            int room = MAX_ERROR_BODY - out.size();
            if (room > 0) {
                out.write(bytes, 0, Math.min(room, bytes.length));
            }
        }).map(out -> out.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * Retries transient failures with exponential backoff (or the server's {@code Retry-After}),
     * capped at {@link RegistryOptions#maxRetryDelay()}; {@code inARow} counts only failures since
     * the last byte received (a stream making progress keeps its retries).
     */
    Retry retry(boolean inARow) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            long attempt = inARow ? signal.totalRetriesInARow() : signal.totalRetries();
            if (!Faults.isTransient(failure) || attempt >= options.retries()) {
                return Mono.error(failure);
            }
            Duration delay = failure instanceof Faults.HttpFailure f && f.retryAfter != null ? f.retryAfter
                    : FIRST_RETRY_DELAY.multipliedBy(1L << Math.min(20, attempt));
            if (delay.compareTo(options.maxRetryDelay()) > 0) {
                delay = options.maxRetryDelay();
            }
            return Mono.delay(delay).thenReturn(attempt);
        }));
    }

    /** "registry HOST, repository NAME" for messages. */
    String where() {
        return purpose + "registry " + image.registry() + ", repository " + image.repository();
    }

    /** The one error a failed request ends with. */
    Throwable failure(String what, Throwable e) {
        if (e instanceof OcitreeException) {
            return e;
        }
        if (e instanceof Faults.HttpFailure f) {
            String message = where() + ", " + what + ": HTTP " + f.status + Faults.errors(f.body);
            if (f.status == 401 || f.status == 403) {
                return new RegistryAuthException(message + (f.status == 401 ? ": authentication failed"
                        + (credentials == null ? " (no credentials)" : " with the " + credentials) : ": access denied"),
                        f.status);
            }
            return new RegistryException(message, f.status, null);
        }
        if (e instanceof Faults.Truncated t) {
            return new RegistryException(where() + ", " + what + ": the connection ended after " + t.received + " of "
                    + t.size + " bytes, " + options.retries() + " retries did not complete it", 0, null);
        }
        return new RegistryException(where() + ", " + what + ": " + e, 0, e);
    }
}
