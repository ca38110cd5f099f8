package dev.ocitree.tarsplit;

import dev.ocitree.operators.OcitreeException;

/**
 * A layer tar cannot be rebuilt: its record is missing or corrupt, the layer cannot round trip
 * (an entry's body is not in the layer commit), or the commit's content does not match the record.
 * The message names the layer and the cause.
 */
public final class TarSplitException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public TarSplitException(String layer, String cause) {
        super("layer " + layer + ": " + cause);
    }

    public TarSplitException(String layer, String cause, Throwable e) {
        super("layer " + layer + ": " + cause, e);
    }
}
