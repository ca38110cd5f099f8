package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/**
 * Importing one layer failed (corrupt compression, malformed tar, a limit, a repository error);
 * the message names the layer digest and the cause, which is kept as {@link #getCause()}.
 */
public class LayerImportException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String layer;

    public LayerImportException(String layer, Throwable cause) {
        super("layer " + layer + ": " + cause.getMessage(), cause);
        this.layer = layer;
    }

    /** The layer's blob digest. */
    public String layer() {
        return layer;
    }
}
