package dev.ocitree.operators;

/** Input exceeded one of the {@link StreamLimits}; the message names the limit and the input. */
public class LimitExceededException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message) {
        super(message);
    }
}
