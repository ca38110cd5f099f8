package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** The repository's {@code config} names a storage mode ocitree does not read or write. */
public final class UnknownRepoModeException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String mode;

    UnknownRepoModeException(Path repository, String mode) {
        super(repository, "unsupported repository mode '" + mode
                + "' in config (supported: archive-z2, bare-user, bare-user-only)");
        this.mode = mode;
    }

    /** The mode string found in the config. */
    public String mode() {
        return mode;
    }
}
