package dev.ocitree.operators.digest;

import dev.ocitree.operators.OcitreeException;

/** A stream's digest differs from the expected one. */
public class DigestMismatchException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String expected;
    private final String actual;

    public DigestMismatchException(String subject, String expected, String actual) {
        super(subject + ": digest mismatch: expected " + expected + " but the content hashes to " + actual);
        this.subject = subject;
        this.expected = expected;
        this.actual = actual;
    }

    public String subject() {
        return subject;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
