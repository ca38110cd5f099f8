package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/**
 * The repository's {@code .lock} is held by another process (a real {@code ostree}, or another
 * ocitree) in a conflicting mode and was not released within the lock timeout.
 */
public final class RepoLockedException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    RepoLockedException(Path repository, String wanted, long timeoutSeconds) {
        super(repository, "could not take the " + wanted + " lock on " + repository.resolve(".lock")
                + " within " + timeoutSeconds + " s: another process holds a conflicting lock");
    }
}
