package dev.ocitree.operators;

/**
 * Root of every error ocitree raises on purpose. Subclasses carry the context that locates the
 * problem (layer digest, tar entry name, byte offset, object checksum, ref name), and their message
 * names the input and the cause.
 */
public class OcitreeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OcitreeException(String message) {
        super(message);
    }

    public OcitreeException(String message, Throwable cause) {
        super(message, cause);
    }
}
