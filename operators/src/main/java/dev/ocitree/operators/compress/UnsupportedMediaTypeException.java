package dev.ocitree.operators.compress;

import dev.ocitree.operators.OcitreeException;

/** A layer media type that names no known (compressed) tar layer. */
public class UnsupportedMediaTypeException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String mediaType;

    public UnsupportedMediaTypeException(String mediaType) {
        super("unsupported layer media type '" + mediaType
                + "': expected an OCI or Docker tar layer type (tar, tar+gzip, tar+zstd, tar+lz4)");
        this.mediaType = mediaType;
    }

    /** The media type as given (may be null). */
    public String mediaType() {
        return mediaType;
    }
}
