package dev.ocitree.operators.digest;

import dev.ocitree.operators.OcitreeException;

/** A digest string that is not {@code sha256:<64 lower-case hex>} (or {@code sha512:<128 hex>}). */
public class InvalidDigestException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String digest;

    public InvalidDigestException(String subject, String digest) {
        super(subject + ": invalid or unsupported digest '" + digest
                + "' (expected sha256:<64 lower-case hex> or sha512:<128 lower-case hex>)");
        this.digest = digest;
    }

    public String digest() {
        return digest;
    }
}
