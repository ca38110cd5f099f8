package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/**
 * An object's bytes do not hash to its name, or cannot be parsed (truncated, not in GVariant normal
 * form, an invalid header).
 */
public final class CorruptObjectException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    private final String object;

    CorruptObjectException(Path repository, String object, String reason) {
        super(repository, "object " + object + " is corrupt: " + reason);
        this.object = object;
    }

    CorruptObjectException(Path repository, String object, String reason, Throwable cause) {
        super(repository, "object " + object + " is corrupt: " + reason, cause);
        this.object = object;
    }

    /** The corrupt object as {@code <checksum>.<type>}. */
    public String object() {
        return object;
    }
}
