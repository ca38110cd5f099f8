package dev.ocitree.registry;

import dev.ocitree.oci.ImageDocuments;
import dev.ocitree.oci.InvalidSourceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Pushes blobs and a manifest to {@code docker://HOST[:PORT]/NAME[:TAG|@DIGEST]} with the
 * distribution API (docs/export.md, "Pushing to a registry"):
 *
 * <ol>
 *   <li>a blob whose digest is known is first asked for with {@code HEAD /v2/NAME/blobs/DIGEST}
 *       and not sent when present; with a {@code mountFrom} repository it is then mounted
 *       ({@code POST /v2/NAME/blobs/uploads/?mount=DIGEST&from=FROM}; a 201 is done, a 202 opens an
 *       ordinary upload, used instead);</li>
 *   <li>otherwise {@code POST /v2/NAME/blobs/uploads/} opens an upload, and the blob streams into
 *       it ({@link ChunkedUpload}): a blob that fits in one chunk goes as one monolithic
 *       {@code PUT LOCATION?digest=}; a larger one as {@code PATCH}es of about {@code chunkSize}
 *       bytes with {@code Content-Range}, then the closing {@code PUT} — the digest, computed in
 *       passing, is needed only there, so nothing is staged on disk;</li>
 *   <li>{@link #pushManifest} {@code PUT}s the manifest under the tag (or digest) last, so a failed
 *       push leaves nothing tagged.</li>
 * </ol>
 *
 * The registry options of the pull apply (credentials, TLS, retries); Bearer tokens are asked for
 * with the scope {@code repository:NAME:pull,push}. {@code HEAD}, {@code POST} and the manifest
 * {@code PUT} are retried like the pull's requests; a {@code PATCH} or a blob's closing {@code PUT}
 * is not (its body is gone): the push fails and its upload is cancelled with {@code DELETE}.
 * Failures are {@link RegistryException}s (401/403: {@link RegistryAuthException}) whose message
 * starts with "push to registry HOST, repository NAME" and carries the HTTP status and the
 * registry's error codes ({@code NAME_UNKNOWN}, {@code DIGEST_INVALID}, {@code MANIFEST_INVALID}…).
 *
 * <p>Threads: everything runs on Netty event loops without blocking, except reading the auth
 * files and certificates, done once on {@code io}.
 */
public final class RegistryPush {

    /** The default size of a {@code PATCH}; a blob of at most this size is sent in one {@code PUT}. */
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;

    /** What happened to a blob. */
    public enum Outcome {
        /** The registry had it already ({@code HEAD}). */
        PRESENT,
        /** Mounted from another repository of the registry. */
        MOUNTED,
        /** Uploaded. */
        UPLOADED
    }

    /** A blob now in the destination repository. */
    public record PushedBlob(String digest, long size, Outcome outcome) {
    }

    private final String name;
    private final ImageReference image;
    private final RegistryOptions options;
    private final int chunkSize;
    private final String mountFrom;
    private final Scheduler io;
    private volatile RegistryClient client;

    private RegistryPush(String name, ImageReference image, RegistryOptions options, int chunkSize, String mountFrom,
            Scheduler io) {
        this.name = name;
        this.image = image;
        this.options = options;
        this.chunkSize = chunkSize;
        this.mountFrom = mountFrom;
        this.io = io;
    }

    /** Whether {@code destination} is a registry destination ({@code docker://}). */
    public static boolean handles(String destination) {
        return destination != null && destination.startsWith("docker://");
    }

    /**
     * Parses {@code docker://[HOST[:PORT]/]NAME[:TAG|@DIGEST]} (names normalised as for a pull);
     * does not touch the network.
     *
     * @param chunkSize bytes per {@code PATCH} (at least 1); a blob of at most this size is one {@code PUT}
     * @param mountFrom a repository of the same registry that may hold the blobs, or null
     * @throws InvalidSourceException naming the destination and what is wrong with it
     */
    public static RegistryPush open(String destination, RegistryOptions options, int chunkSize, String mountFrom,
            Scheduler io) {
        if (!handles(destination)) {
            throw new InvalidSourceException("'" + destination + "' is not docker://[HOST[:PORT]/]NAME[:TAG|@DIGEST]");
        }
        ImageReference image = ImageReference.parse(destination.substring("docker://".length()));
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + chunkSize);
        }
        if (mountFrom != null && !ImageReference.isRepository(mountFrom)) {
            throw new InvalidSourceException("'" + destination + "': --mount-from '" + mountFrom
                    + "' is not a repository name of the registry");
        }
        return new RegistryPush(destination, image, Objects.requireNonNull(options, "options"), chunkSize, mountFrom,
                Objects.requireNonNull(io, "io"));
    }

    /** The destination, normalised. */
    public ImageReference image() {
        return image;
    }

    /** The destination as given. */
    public String name() {
        return name;
    }

    private Mono<RegistryClient> connect() {
        return Mono.defer(() -> {
            RegistryClient c = client;
            return c != null ? Mono.just(c) : Mono.fromCallable(() -> RegistryClient.forPush(image, options, mountFrom))
                    .subscribeOn(io)
                    .flatMap(created -> created.ping().thenReturn(created))
                    .doOnNext(created -> client = created);
        });
    }

    /**
     * Makes sure the blob is in the destination repository: when {@code digest} is known, a
     * {@code HEAD} (present: {@code data} is never subscribed) then a mount when a
     * {@code mountFrom} repository was given; else (or when neither helped) {@code data} is
     * uploaded and must hash to {@code digest} when one was given. The upload consumes and releases
     * every chunk of {@code data}.
     */
    public Mono<PushedBlob> pushBlob(String digest, Flux<ByteBuf> data) {
        return connect().flatMap(c -> (digest == null ? Mono.just(-1L) : head(c, digest)).flatMap(size -> {
            if (size >= 0) {
                return Mono.just(new PushedBlob(digest, size, Outcome.PRESENT));
            }
            return startUpload(c, digest != null ? mountFrom : null, digest).flatMap(session -> session.isEmpty()
                    ? head(c, digest).map(mounted -> new PushedBlob(digest, mounted, Outcome.MOUNTED))
                    : new ChunkedUpload(c, session.get(), chunkSize, digest).upload(data));
        }));
    }

    /** {@link #pushBlob} of bytes in memory (a config). */
    public Mono<PushedBlob> pushBlob(byte[] bytes) {
        return pushBlob(ImageDocuments.sha256(bytes), Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(bytes))));
    }

    /**
     * {@code PUT /v2/NAME/manifests/TAG} (or {@code @DIGEST}) with {@code mediaType} as
     * Content-Type, after every blob it names is pushed. Returns the manifest's digest (checked
     * against the registry's {@code Docker-Content-Digest} when it sends one).
     */
    public Mono<String> pushManifest(String mediaType, byte[] manifest) {
        String digest = ImageDocuments.sha256(manifest);
        String what = "manifest " + image.reference();
        return connect().flatMap(c -> c.exchange(HttpMethod.PUT, what, URI.create(c.url("manifests/" + image.reference())),
                        Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), mediaType,
                                HttpHeaderNames.CONTENT_LENGTH.toString(), Integer.toString(manifest.length)),
                        () -> Unpooled.wrappedBuffer(manifest),
                        (res, body) -> body.then(Mono.justOrEmpty(res.responseHeaders().get("Docker-Content-Digest"))
                                .defaultIfEmpty(digest)))
                .next()
                .retryWhen(c.retry(false))
                .onErrorMap(e -> c.failure(what, e))
                .flatMap(answered -> answered.equals(digest) ? Mono.just(digest)
                        : Mono.error(new RegistryException(c.where() + ", " + what + ": the registry stored "
                                + answered + " for a manifest whose digest is " + digest))));
    }

    /** {@code HEAD} of a blob: its size, or -1 when the repository does not have it (404). */
    private static Mono<Long> head(RegistryClient c, String digest) {
        String what = "blob " + digest;
        return c.exchange(HttpMethod.HEAD, what, URI.create(c.url("blobs/" + digest)), Map.of(), null,
                        (res, body) -> body.then(Mono.fromSupplier(() -> {
                            String length = res.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
                            return length == null ? 0L : Long.parseLong(length.trim());
                        })))
                .next()
                .onErrorResume(e -> e instanceof Faults.HttpFailure f && f.status == 404, e -> Mono.just(-1L))
                .retryWhen(c.retry(false))
                .onErrorMap(e -> c.failure(what, e));
    }

    /**
     * {@code POST /v2/NAME/blobs/uploads/}, with {@code ?mount=DIGEST&from=FROM} when {@code from}
     * is given: empty when the registry mounted the blob (201), else the upload's location (202).
     */
    private static Mono<Optional<URI>> startUpload(RegistryClient c, String from, String digest) {
        String what = from == null ? "blob upload" : "blob " + digest + " mounted from " + from;
        URI uri = URI.create(c.url("blobs/uploads/") + (from == null ? ""
                : "?mount=" + digest + "&from=" + from));
        return c.exchange(HttpMethod.POST, what, uri, Map.of(HttpHeaderNames.CONTENT_LENGTH.toString(), "0"), null,
                        (res, body) -> body.then(Mono.fromCallable(() -> {
                            if (res.status().code() == 201) {
                                return Optional.<URI>empty();
                            }
                            String location = res.responseHeaders().get(HttpHeaderNames.LOCATION);
                            if (res.status().code() != 202 || location == null) {
                                throw new RegistryException(c.where() + ", " + what + ": HTTP " + res.status().code()
                                        + (location == null ? " without a Location header" : "")
                                        + ", not 202 Accepted with the upload's location");
                            }
                            return Optional.of(uri.resolve(location));
                        })))
                .next()
                .retryWhen(c.retry(false))
                .onErrorMap(e -> c.failure(what, e));
    }
}
