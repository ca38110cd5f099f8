package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A commit, dirtree, dirmeta or content object that should be in the repository is not. */
public final class ObjectNotFoundException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String object;

    ObjectNotFoundException(Path repository, String object) {
        super(repository, "object " + object + " is missing");
        this.object = object;
    }

    ObjectNotFoundException(Path repository, String object, String context) {
        super(repository, "object " + object + " is missing (" + context + ")");
        this.object = object;
    }

    /** The missing object as {@code <checksum>.<type>}. */
    public String object() {
        return object;
    }
}
