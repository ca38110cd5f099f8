package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** A path that does not exist in a commit's tree (or is a directory where a file was expected). */
public final class NoSuchPathException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    NoSuchPathException(Path repository, String commit, String path, String reason) {
        super(repository, "commit " + commit + ": " + path + ": " + reason);
    }
}
