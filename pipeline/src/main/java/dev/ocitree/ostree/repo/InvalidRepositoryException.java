package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** The path is not an OSTree repository, or its {@code config} is unreadable or invalid. */
public final class InvalidRepositoryException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    InvalidRepositoryException(Path repository, String message) {
        super(repository, message);
    }

    InvalidRepositoryException(Path repository, String message, Throwable cause) {
        super(repository, message, cause);
    }
}
