package dev.ocitree.cli;

import reactor.core.Exceptions;

/** Turns an exception into the one line the CLI prints. */
final class CliErrors {

    private CliErrors() {
    }

    static String message(Throwable ex) {
        Throwable t = Exceptions.unwrap(ex);
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
