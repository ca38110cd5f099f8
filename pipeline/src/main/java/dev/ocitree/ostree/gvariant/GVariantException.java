package dev.ocitree.ostree.gvariant;

import dev.ocitree.operators.OcitreeException;

/**
 * Serialised GVariant data that is truncated or not in normal form. Carries the GVariant type
 * string of the value being read and the byte offset (from the start of the buffer handed to the
 * parser) where the problem was found.
 */
public class GVariantException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final long offset;

    public GVariantException(String type, long offset, String reason) {
        super("invalid GVariant of type '" + type + "' at offset " + offset + ": " + reason);
        this.type = type;
        this.offset = offset;
    }

    /** The type string of the (innermost) value that failed to parse. */
    public String type() {
        return type;
    }

    /** Byte offset of the problem, from the start of the parsed buffer. */
    public long offset() {
        return offset;
    }
}
