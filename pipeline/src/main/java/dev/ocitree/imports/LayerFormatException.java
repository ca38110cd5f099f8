package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/**
 * A layer's content cannot be applied: a bare or {@code ..} whiteout, a hardlink to a directory or
 * to nothing, a path written through a non-directory. The message names the layer and the entry.
 */
public class LayerFormatException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String entry;

    public LayerFormatException(String layer, String entry, String cause) {
        super("layer " + layer + ", entry '" + entry + "': " + cause);
        this.layer = layer;
        this.entry = entry;
    }

    /** The layer's blob digest. */
    public String layer() {
        return layer;
    }

    /** The tar entry (path as in the archive). */
    public String entry() {
        return entry;
    }
}
