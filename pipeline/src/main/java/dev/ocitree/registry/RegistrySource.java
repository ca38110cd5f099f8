package dev.ocitree.registry;

import dev.ocitree.oci.Descriptor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.oci.ImageDocuments;
import dev.ocitree.oci.ImageManifest;
import dev.ocitree.oci.ImageNotFoundException;
import dev.ocitree.oci.InvalidSourceException;
import dev.ocitree.oci.OciFormatException;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.oci.ResolvedImage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An image in an OCI distribution registry, as an {@link OciSource}: {@link #resolve} fetches the
 * manifest (by tag or digest), checks it against the digest asked for or the registry's
 * {@code Docker-Content-Digest}, descends indexes by platform (fetching the chosen manifest by
 * digest), and fetches and checks the config; {@link #blob} streams a layer from the socket.
 *
 * <pre>{@code
 * try (OciSource source = RegistrySource.open("docker://quay.io/fedora/fedora:40",
 *         RegistryOptions.defaults(), Schedulers.boundedElastic())) {
 *     ResolvedImage image = source.resolve(Platform.current()).block();
 * }
 * }</pre>
 */
public final class RegistrySource implements OciSource {

    /** Index levels followed before giving up. */
    private static final int MAX_INDEX_DEPTH = 8;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String name;
    private final ImageReference image;
    private final String scheme;
    private final RegistryOptions options;
    private final Scheduler io;
    private volatile RegistryClient client;

    RegistrySource(String name, ImageReference image, String scheme, RegistryOptions options, Scheduler io) {
        this.name = Objects.requireNonNull(name, "name");
        this.image = image;
        this.scheme = scheme;
        this.options = Objects.requireNonNull(options, "options");
        this.io = Objects.requireNonNull(io, "io");
    }

    /** Whether {@code name} uses a registry transport this class opens. */
    public static boolean handles(String name) {
        return name.startsWith("docker://") || name.startsWith("ostree-unverified-registry:")
                || name.startsWith("ostree-unverified-image:");
    }

    /**
     * Opens {@code docker://[HOST[:PORT]/]NAME[:TAG|@DIGEST]}, {@code ostree-unverified-registry:NAME}
     * (the same without {@code docker://}) or {@code ostree-unverified-image:TRANSPORT:NAME}, where
     * TRANSPORT is {@code registry:}, {@code docker://} or any other source transport (then that
     * source is opened). Short names are expanded as docker does ({@code busybox} →
     * {@code docker.io/library/busybox:latest}). Does not touch the network.
     *
     * @throws InvalidSourceException naming the source and what is wrong with it
     */
    public static OciSource open(String name, RegistryOptions options, Scheduler io) {
        String rest;
        if (name.startsWith("docker://")) {
            rest = name.substring("docker://".length());
        } else if (name.startsWith("ostree-unverified-registry:")) {
            rest = name.substring("ostree-unverified-registry:".length());
        } else if (name.startsWith("ostree-unverified-image:")) {
            String inner = name.substring("ostree-unverified-image:".length());
            if (inner.startsWith("registry:")) {
                rest = inner.substring("registry:".length());
            } else if (inner.startsWith("docker://")) {
                rest = inner.substring("docker://".length());
            } else if (inner.startsWith("docker:")) {
                throw new InvalidSourceException("source '" + name + "': write docker:// (two slashes), as ostree-ext does");
            } else if (handles(inner)) {
                throw new InvalidSourceException("source '" + name + "' nests a second ostree- transport");
            } else {
                return OciSource.open(inner, io);
            }
        } else {
            throw new InvalidSourceException("source '" + name + "' is not a registry source (docker://, "
                    + "ostree-unverified-registry:, ostree-unverified-image:)");
        }
        if (rest.isEmpty()) {
            throw new InvalidSourceException("source '" + name + "' names no image");
        }
        return new RegistrySource(name, parse(name, rest), null, options, io);
    }

    /**
     * The source of {@code image} ({@code NAME[:TAG|@DIGEST]}) under a remote's URL
     * ({@code [oci+]http[s]://HOST[:PORT][/NAMESPACE]}); the image's name is {@code REMOTE:IMAGE},
     * so its ref names the remote.
     */
    public static OciSource open(OciRemotes.Remote remote, String imageName, RegistryOptions options, Scheduler io) {
        String path = remote.namespace().isEmpty() ? imageName : remote.namespace() + "/" + imageName;
        String display = remote.name() + ":" + imageName;
        ImageReference parsed = parse(display, remote.host() + "/" + path);
        return new RegistrySource(display, parsed, remote.scheme(), options, io);
    }

    private static ImageReference parse(String name, String reference) {
        try {
            return ImageReference.parse(reference);
        } catch (InvalidSourceException e) {
            throw new InvalidSourceException("source '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The image reference, normalised. */
    public ImageReference image() {
        return image;
    }

    @Override
    public Mono<ResolvedImage> resolve(Platform platform) {
        return Mono.fromCallable(() -> client())
                .subscribeOn(io)
                .flatMap(c -> c.ping().then(Mono.defer(() -> fetch(c, image.reference(), image.digest(), null, platform, 0))));
    }

    private synchronized RegistryClient client() {
        if (client == null) {
            client = RegistryClient.create(image, scheme, options);
        }
        return client;
    }

    /**
     * Fetches {@code reference}; verifies it against {@code expectedDigest} (a digest asked for) or
     * the registry's {@code Docker-Content-Digest}; descends an index, or resolves a manifest.
     */
    private Mono<ResolvedImage> fetch(RegistryClient c, String reference, String expectedDigest, String declaredType,
            Platform platform, int depth) {
        return c.manifest(reference).flatMap(fetched -> {
            String file = where() + " manifest " + reference;
            String digest = ImageDocuments.sha256(fetched.body());
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                return Mono.error(new OciFormatException(file, "the registry sent content with digest " + digest
                        + ", not the " + expectedDigest + " asked for"));
            }
            if (fetched.dockerDigest() != null && !fetched.dockerDigest().equals(digest)) {
                return Mono.error(new OciFormatException(file, "Docker-Content-Digest says "
                        + fetched.dockerDigest() + " but the content hashes to " + digest));
            }
            String type = mediaType(fetched.contentType(), declaredType, fetched.body());
            if (ImageDocuments.isIndex(type)) {
                if (depth >= MAX_INDEX_DEPTH) {
                    return Mono.error(new OciFormatException(file, "image indexes nest deeper than " + MAX_INDEX_DEPTH));
                }
                Descriptor chosen = ImageDocuments.chooseFromIndex(fetched.body(), type, platform, name, file);
                return fetch(c, chosen.digest(), chosen.digest(), chosen.mediaType(), platform, depth + 1);
            }
            if (type.startsWith("application/vnd.docker.distribution.manifest.v1")) {
                return Mono.error(new OciFormatException(file, "is a Docker schema 1 manifest, which is not supported;"
                        + " convert it, e.g. with skopeo copy --format v2s2"));
            }
            if (!ImageDocuments.isManifest(type)) {
                return Mono.error(new ImageNotFoundException("source '" + name + "': " + file + " has media type '"
                        + type + "', not an image manifest or index"));
            }
            ImageManifest manifest = ImageManifest.parse(fetched.body(), type, file);
            return c.smallBlob(manifest.config()).map(config -> ImageDocuments.resolved(name, digest, fetched.body(),
                    manifest, config, where() + " config " + manifest.config().digest()));
        });
    }

    /**
     * The media type from Content-Type (parameters dropped), else the descriptor's, else the
     * document's own {@code mediaType} field.
     */
    private static String mediaType(String contentType, String declared, byte[] body) {
        if (contentType != null) {
            int semicolon = contentType.indexOf(';');
            String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.equals("application/json") && !type.equals("text/plain")) {
                return type;
            }
        }
        if (declared != null && !declared.isEmpty()) {
            return declared;
        }
        try {
            return MAPPER.readTree(body).path("mediaType").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private String where() {
        return image.registry() + "/" + image.repository();
    }

    /**
     * Streams a blob from the registry: bytes arrive on Netty event loops, and the subscriber owns
     * and releases every chunk. Call after {@link #resolve}.
     */
    @Override
    public Flux<ByteBuf> blob(Descriptor descriptor) {
        RegistryClient c = client;
        if (c == null) {
            return Flux.error(new IllegalStateException("resolve() the image before reading its blobs"));
        }
        return c.blob(descriptor);
    }

    @Override
    public void close() {
        // connections belong to reactor-netty's shared pool
    }
}
