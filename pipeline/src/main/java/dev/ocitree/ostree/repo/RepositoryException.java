package dev.ocitree.ostree.repo;

import dev.ocitree.operators.OcitreeException;
import java.nio.file.Path;

/**
 * Something went wrong with an OSTree repository on disk. The message names the repository and,
 * through the subclasses, the object or ref concerned.
 */
public class RepositoryException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final transient Path repository;

    public RepositoryException(Path repository, String message) {
        super(prefix(repository) + message);
        this.repository = repository;
    }

    public RepositoryException(Path repository, String message, Throwable cause) {
        super(prefix(repository) + message, cause);
        this.repository = repository;
    }

    /** The repository concerned (may be null when the error is not tied to one). */
    public Path repository() {
        return repository;
    }

    private static String prefix(Path repository) {
        return repository == null ? "" : "repository " + repository + ": ";
    }
}
