package dev.ocitree.operators.compress;

import dev.ocitree.operators.OcitreeException;

/**
 * A compressed stream is corrupt, truncated or uses a feature we do not decode. Carries the input's
 * name, the format and the offset in the compressed stream at which the problem was found.
 */
public class CorruptStreamException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final Compression format;
    private final long offset;

    public CorruptStreamException(String subject, Compression format, long offset, String reason) {
        this(subject, format, offset, reason, null);
    }

    public CorruptStreamException(String subject, Compression format, long offset, String reason, Throwable cause) {
        super(subject + ": corrupt " + format.label() + " stream at compressed byte " + offset + ": " + reason, cause);
        this.subject = subject;
        this.format = format;
        this.offset = offset;
    }

    /** The input's name as given to the stage. */
    public String subject() {
        return subject;
    }

    public Compression format() {
        return format;
    }

    /** Offset in the compressed stream (bytes from its start) where the problem was detected. */
    public long offset() {
        return offset;
    }
}
