package dev.ocitree.exports;

import dev.ocitree.operators.OcitreeException;

/**
 * An image announces a commit (ocitree's {@code dev.ocitree.commit} label or flatpak's
 * {@code org.flatpak.*} labels) that its layers do not rebuild, or whose labels are malformed; the
 * message names the image, the commit and what differs. No ref is moved to it.
 */
public class CommitRestoreException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public CommitRestoreException(String message) {
        super(message);
    }

    public CommitRestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
