package dev.ocitree.imports;

import dev.ocitree.operators.OcitreeException;

/**
 * An imported image's commit does not keep what an export of the original image needs (its
 * manifest and config); the message names the image, the commit and the missing metadata key.
 */
public final class ImageRecordException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public ImageRecordException(String message) {
        super(message);
    }
}
