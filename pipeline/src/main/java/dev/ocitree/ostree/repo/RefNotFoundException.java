package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A ref (branch) name that does not exist in the repository. */
public final class RefNotFoundException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String ref;

    RefNotFoundException(Path repository, String ref) {
        super(repository, "ref '" + ref + "' not found");
        this.ref = ref;
    }

    /** The ref that was asked for. */
    public String ref() {
        return ref;
    }
}
