package dev.ocitree.oci;

import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An image source named as skopeo names it. Open one with {@link #open(String, Scheduler)}, pick an
 * image with {@link #resolve(Platform)}, then stream its blobs with {@link #blob(Descriptor)}.
 *
 * <pre>{@code
 * try (OciSource source = OciSource.open("oci:examples/hello-oci:latest", Schedulers.boundedElastic())) {
 *     ResolvedImage image = source.resolve(Platform.current()).block();
 *     Flux<ByteBuf> layer = source.blob(image.layers().get(0));   // subscriber releases each chunk
 * }
 * }</pre>
 *
 * <p>All file access happens on the scheduler given to {@code open} (which the caller owns and must
 * bound); nothing here blocks the subscribing thread.
 */
public interface OciSource extends AutoCloseable {

    /**
     * Parses a source name: {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]},
     * {@code docker-archive:FILE[:NAME:TAG | :@INDEX]}, or a registry image
     * {@code docker://[HOST[:PORT]/]NAME[:TAG|@DIGEST]} ({@code ostree-unverified-registry:NAME},
     * {@code ostree-unverified-image:TRANSPORT:NAME}: see {@link dev.ocitree.registry.RegistrySource},
     * opened with {@link dev.ocitree.registry.RegistryOptions#defaults()}). As in skopeo, a path ends
     * at the first {@code :}. Does not touch the disk or the network; errors surface from
     * {@link #resolve}.
     *
     * @throws InvalidSourceException for an unknown transport or an empty path
     */
    static OciSource open(String name, Scheduler io) {
        if (dev.ocitree.registry.RegistrySource.handles(name)) {
            return dev.ocitree.registry.RegistrySource.open(name, dev.ocitree.registry.RegistryOptions.defaults(), io);
        }
        int colon = name.indexOf(':');
        if (colon < 0) {
            throw new InvalidSourceException("source '" + name
                    + "' has no transport; use oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG] or docker://IMAGE");
        }
        String transport = name.substring(0, colon);
        String rest = name.substring(colon + 1);
        int sep = rest.indexOf(':');
        String path = sep < 0 ? rest : rest.substring(0, sep);
        String reference = sep < 0 || sep == rest.length() - 1 ? null : rest.substring(sep + 1);
        if (path.isEmpty()) {
            throw new InvalidSourceException("source '" + name + "' names no path");
        }
        return switch (transport) {
            case "oci" -> new LayoutSource(name, Path.of(path), false, reference, io);
            case "oci-archive" -> new LayoutSource(name, Path.of(path), true, reference, io);
            case "docker-archive" -> new DockerArchiveSource(name, Path.of(path), reference, io);
            default -> throw new InvalidSourceException("source '" + name + "' has unknown transport '" + transport
                    + "'; supported: oci, oci-archive, docker-archive, docker://, ostree-unverified-registry,"
                    + " ostree-unverified-image");
        };
    }

    /** The source name as given to {@link #open}. */
    String name();

    /**
     * Reads the index (or {@code manifest.json}), picks the image for the tag and {@code platform}
     * (image indexes and manifest lists are descended), and reads and checks the manifest and config.
     */
    Mono<ResolvedImage> resolve(Platform platform);

    /**
     * Streams one blob of the image last resolved (a layer, the config or a manifest), exactly
     * {@code descriptor.size()} bytes. The subscriber owns and releases every chunk. The content is
     * not verified here: compose with {@code Digests.verify}.
     *
     * @throws ImageNotFoundException (as an error signal) when the source does not hold the blob
     */
    Flux<ByteBuf> blob(Descriptor descriptor);

    /** Releases what the source holds (nothing that needs the scheduler). */
    @Override
    void close();
}
