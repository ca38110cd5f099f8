package dev.ocitree.ostree.repo;

import java.nio.file.Path;

/** Streamed file content whose length differs from the size announced up front (e.g. by a tar header). */
public final class ContentSizeMismatchException extends RepositoryException {

    private static final long serialVersionUID = 1L;

    ContentSizeMismatchException(Path repository, String what, long expected, long actual) {
        super(repository, what + ": announced " + expected + " bytes of content but "
                + (actual > expected ? "received more (at least " + actual + ")" : "the stream ended after " + actual));
    }
}
