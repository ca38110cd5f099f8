package dev.ocitree.registry;

/** The registry refused the credentials (401) or the access (403); nothing was written. */
public class RegistryAuthException extends RegistryException {

    private static final long serialVersionUID = 1L;

    public RegistryAuthException(String message, int status) {
        super(message, status, null);
    }
}
