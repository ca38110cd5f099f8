package dev.ocitree.operators.compress;

import dev.ocitree.operators.OcitreeException;

/** A stream's magic bytes contradict its declared compression (for example a gzip blob declared as zstd). */
public class CompressionMismatchException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final Compression declared;
    private final Compression detected;

    public CompressionMismatchException(String subject, Compression declared, Compression detected) {
        super(subject + ": declared compression " + declared.label() + " but the stream's magic bytes say "
                + (detected == Compression.NONE ? "uncompressed (no known magic)" : detected.label()));
        this.subject = subject;
        this.declared = declared;
        this.detected = detected;
    }

    public String subject() {
        return subject;
    }

    public Compression declared() {
        return declared;
    }

    /** What the magic bytes say; {@link Compression#NONE} when they match no known format. */
    public Compression detected() {
        return detected;
    }
}
