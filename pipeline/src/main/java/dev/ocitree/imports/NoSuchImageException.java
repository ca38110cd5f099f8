package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/** No imported image has the name given (or an untagged name matches several); the message names it. */
public class NoSuchImageException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public NoSuchImageException(String message) {
        super(message);
    }
}
