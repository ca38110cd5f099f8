package dev.ocitree.oci;

import dev.ocitree.operators.OcitreeException;

/**
 * The source holds no image for the requested tag or platform, or lacks a blob its manifest names;
 * the message names the source and what was looked for (and, for a platform, what is available).
 */
public class ImageNotFoundException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public ImageNotFoundException(String message) {
        super(message);
    }
}
