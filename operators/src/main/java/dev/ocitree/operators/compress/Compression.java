package dev.ocitree.operators.compress;

import java.util.Locale;
import java.util.Map;

/** The compression of a layer blob. */
public enum Compression {
    /** Not compressed (a plain tar). */
    NONE("none"),
    /** gzip (RFC 1952), possibly several concatenated members. */
    GZIP("gzip"),
    /** Zstandard (RFC 8878), possibly several frames and skippable frames. */
    ZSTD("zstd"),
    /** The lz4 frame format (magic {@code 0x184D2204}). */
    LZ4("lz4");

    private static final Map<String, Compression> MEDIA_TYPES = Map.ofEntries(
            Map.entry("application/vnd.oci.image.layer.v1.tar", NONE),
            Map.entry("application/vnd.oci.image.layer.v1.tar+gzip", GZIP),
            Map.entry("application/vnd.oci.image.layer.v1.tar+zstd", ZSTD),
            Map.entry("application/vnd.oci.image.layer.v1.tar+lz4", LZ4),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar", NONE),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", GZIP),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", ZSTD),
            Map.entry("application/vnd.docker.image.rootfs.diff.tar", NONE),
            Map.entry("application/vnd.docker.image.rootfs.diff.tar.gzip", GZIP),
            Map.entry("application/vnd.docker.image.rootfs.foreign.diff.tar", NONE),
            Map.entry("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", GZIP));

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    /**
     * The compression of a layer with the given OCI or Docker media type: the OCI
     * {@code ...layer.v1.tar[+gzip|+zstd]} types and their {@code nondistributable} (foreign)
     * variants, Docker's {@code ...rootfs.diff.tar.gzip} and {@code ...rootfs.foreign.diff.tar.gzip},
     * and {@code application/vnd.oci.image.layer.v1.tar+lz4} (lz4 has no standard OCI media type).
     * Case and media-type parameters ({@code ;charset=...}) are ignored.
     *
     * @throws UnsupportedMediaTypeException naming the media type when it is not a known layer type
     */
    public static Compression fromMediaType(String mediaType) {
        if (mediaType == null) {
            throw new UnsupportedMediaTypeException(null);
        }
        int semicolon = mediaType.indexOf(';');
        String bare = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        Compression compression = MEDIA_TYPES.get(bare);
        if (compression == null) {
            throw new UnsupportedMediaTypeException(mediaType);
        }
        return compression;
    }

    /** A short lower-case name for messages: none, gzip, zstd, lz4. */
    public String label() {
        return label;
    }
}
