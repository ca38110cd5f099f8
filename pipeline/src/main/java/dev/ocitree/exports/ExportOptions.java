package dev.ocitree.exports;

import dev.ocitree.operators.compress.Compression;
import java.util.Objects;

/**
 * How to export, as an immutable value: {@code ExportOptions.defaults().compression(Compression.ZSTD)}.
 *
 * <p>Default: gzip (what {@code flatpak build-bundle --oci} and most registries use).
 */
public final class ExportOptions {

    private final Compression compression;

    private ExportOptions(Compression compression) {
        this.compression = compression;
    }

    /** gzip layers. */
    public static ExportOptions defaults() {
        return new ExportOptions(Compression.GZIP);
    }

    /** The layer compression: gzip, zstd or none (lz4 is refused). */
    public ExportOptions compression(Compression c) {
        Objects.requireNonNull(c, "compression");
        if (c == Compression.LZ4) {
            throw new IllegalArgumentException("lz4 layers have no standard OCI media type: use gzip, zstd or none");
        }
        return new ExportOptions(c);
    }

    public Compression compression() {
        return compression;
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
