package dev.ocitree.exports;

import dev.ocitree.operators.OcitreeException;

/** An export destination cannot be parsed or written; the message names the destination and the cause. */
public class InvalidDestinationException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public InvalidDestinationException(String message) {
        super(message);
    }

    public InvalidDestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
