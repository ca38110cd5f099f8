package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/** A name cannot be encoded as a ref, or a ref is not one ocitree wrote; the message names it and why. */
public class InvalidRefException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public InvalidRefException(String message) {
        super(message);
    }
}
