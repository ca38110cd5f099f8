package dev.ocitree.exports;

import dev.ocitree.operators.compress.Compression;
import dev.ocitree.registry.RegistryOptions;
import dev.ocitree.registry.RegistryPush;
import java.util.Objects;

/**
 * How to export, as an immutable value: {@code ExportOptions.defaults().compression(Compression.ZSTD)}.
 *
 * <p>Default: gzip (what {@code flatpak build-bundle --oci} and most registries use); for a
 * {@code docker://} destination, the registry options of a pull ({@link RegistryOptions#defaults()}),
 * {@link RegistryPush#DEFAULT_CHUNK_SIZE} bytes per {@code PATCH}, no repository to mount from.
 */
public final class ExportOptions {

    private final Compression compression;
    private final RegistryOptions registry;
    private final int chunkSize;
    private final String mountFrom;

    private ExportOptions(Compression compression, RegistryOptions registry, int chunkSize, String mountFrom) {
        this.compression = compression;
        this.registry = registry;
        this.chunkSize = chunkSize;
        this.mountFrom = mountFrom;
    }

    /** gzip layers. */
    public static ExportOptions defaults() {
        return new ExportOptions(Compression.GZIP, RegistryOptions.defaults(), RegistryPush.DEFAULT_CHUNK_SIZE, null);
    }

    /** The layer compression: gzip, zstd or none (lz4 is refused). */
    public ExportOptions compression(Compression c) {
        Objects.requireNonNull(c, "compression");
        if (c == Compression.LZ4) {
            throw new IllegalArgumentException("lz4 layers have no standard OCI media type: use gzip, zstd or none");
        }
        return new ExportOptions(c, registry, chunkSize, mountFrom);
    }

    public Compression compression() {
        return compression;
    }

    /** How a {@code docker://} destination is reached: credentials, TLS, retries. */
    public ExportOptions registry(RegistryOptions options) {
        return new ExportOptions(compression, Objects.requireNonNull(options, "registry"), chunkSize, mountFrom);
    }

    public RegistryOptions registry() {
        return registry;
    }

    /**
     * Bytes per {@code PATCH} of a push; a blob of at most this size is uploaded with one
     * monolithic {@code PUT}. Also the memory one upload holds.
     */
    public ExportOptions chunkSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + bytes);
        }
        return new ExportOptions(compression, registry, bytes, mountFrom);
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * A repository of the destination registry that may already hold the blobs: a blob the
     * destination lacks is mounted from it ({@code POST ...uploads/?mount=DIGEST&from=NAME}) before
     * it is uploaded. Null for none.
     */
    public ExportOptions mountFrom(String repository) {
        return new ExportOptions(compression, registry, chunkSize, repository);
    }

    public String mountFrom() {
        return mountFrom;
    }

    /** The OCI layer media type of this compression. */
    String layerMediaType() {
        return switch (compression) {
            case NONE -> "application/vnd.oci.image.layer.v1.tar";
            case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
            case LZ4 -> throw new IllegalStateException("lz4");
        };
    }
}
