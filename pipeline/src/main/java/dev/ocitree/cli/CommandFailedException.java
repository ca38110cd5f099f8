package dev.ocitree.cli;

import dev.ocitree.operators.OcitreeException;

/** A command cannot do what was asked for a reason the CLI itself finds; the message names the input and why. */
final class CommandFailedException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
