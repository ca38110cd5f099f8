package dev.ocitree.operators.tar;

import dev.ocitree.operators.OcitreeException;

/**
 * The tar stream is not a valid archive: an invalid header checksum, a truncated archive, a malformed
 * PAX record, an unsupported entry type. Carries the name of the entry being read (when its header
 * could be read at all) and the byte offset in the tar stream where the problem was found.
 */
public class TarFormatException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String entryName;
    private final long offset;

    public TarFormatException(String entryName, long offset, String reason) {
        this(entryName, offset, reason, null);
    }

    public TarFormatException(String entryName, long offset, String reason, Throwable cause) {
        super(describe(entryName, offset, reason), cause);
        this.entryName = entryName;
        this.offset = offset;
    }

    /** The entry being read, as named in its header, or {@code null} if no name is known. */
    public String entryName() {
        return entryName;
    }

    /** Byte offset in the (uncompressed) tar stream. */
    public long offset() {
        return offset;
    }

    static String describe(String entryName, long offset, String reason) {
        return "invalid tar archive at byte offset " + offset
                + (entryName != null ? " (entry '" + ExtendedHeaders.abbreviate(entryName) + "')" : "") + ": " + reason;
    }
}
