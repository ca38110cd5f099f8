package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A ref name that OSTree would refuse, or a ref file whose content is not a checksum. */
public final class InvalidRefException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String ref;

    /**
     * A ref or image name that cannot be a ref, outside any repository; {@code message} says why
     * and quotes it.
     */
    public InvalidRefException(String ref, String message) {
        super(null, message);
        this.ref = ref;
    }

    InvalidRefException(Path repository, String ref, String reason) {
        super(repository, "invalid ref '" + ref + "': " + reason);
        this.ref = ref;
    }

    /** The ref concerned. */
    public String ref() {
        return ref;
    }
}
