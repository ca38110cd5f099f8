package dev.ocitree.registry;

import dev.ocitree.operators.OcitreeException;

/**
 * A registry request failed for good (after the retries transient failures get): the message names
 * the registry, the repository, what was fetched (tag or digest), the HTTP status and the
 * registry's error codes and messages. It never contains credentials or tokens.
 */
public class RegistryException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public RegistryException(String message) {
        this(message, 0, null);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public RegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the failed response, or 0 when there was none (connection failure, bad file). */
    public int status() {
        return status;
    }
}
