package dev.ocitree.ostree;

import dev.ocitree.operators.OcitreeException;

/**
 * An OSTree object or value that violates the format: a checksum string that is not 64 lower-case
 * hex digits, a dirtree name that is empty or contains {@code /}, a file mode that is neither a
 * regular file nor a symlink (devices, FIFOs and sockets cannot be stored), a content size that does
 * not match its header. The message names the object or value and the cause.
 */
public class OstreeFormatException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public OstreeFormatException(String message) {
        super(message);
    }

    public OstreeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
