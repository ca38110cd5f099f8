package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A ref name that OSTree would refuse, or a ref file whose content is not a checksum. */
public final class InvalidRefException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String ref;

    InvalidRefException(Path repository, String ref, String reason) {
        super(repository, "invalid ref '" + ref + "': " + reason);
        this.ref = ref;
    }

    /** The ref concerned. */
    public String ref() {
        return ref;
    }
}
