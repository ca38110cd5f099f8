package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/**
 * An import would move an image name to a different image (another manifest digest); refused
 * unless {@link ImportOptions#replace(boolean)} is set. Nothing was written.
 */
public class ImageNameTakenException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public ImageNameTakenException(String message) {
        super(message);
    }
}
