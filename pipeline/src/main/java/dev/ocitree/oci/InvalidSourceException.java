package dev.ocitree.oci;

import dev.ocitree.operators.OcitreeException;

/** A source name cannot be parsed or names a file that cannot be opened; the message names the source. */
public class InvalidSourceException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public InvalidSourceException(String message) {
        super(message);
    }

    public InvalidSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
