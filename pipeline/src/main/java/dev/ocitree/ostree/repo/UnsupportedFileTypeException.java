package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A device node, FIFO or socket met while importing a directory: OSTree cannot store it. */
public final class UnsupportedFileTypeException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    UnsupportedFileTypeException(Path repository, Path file) {
        super(repository, "not a regular file, symlink or directory: " + file);
    }
}
