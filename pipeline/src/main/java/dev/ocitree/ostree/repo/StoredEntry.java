package dev.ocitree.ostree.repo;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.ostree.Checksum;
import java.util.Objects;

/**
 * A tar entry whose object is stored (staged in the transaction): what the write stage
 * ({@link Transaction#writeObjects()}) emits for every entry, in archive order.
 *
 * @param entry  the entry as it came from the tar stream (or from a stage that rewrote it)
 * @param object the content object of a regular file or symlink, the dirmeta of a directory, and
 *               {@code null} for entries that have no object of their own (hardlinks, devices, FIFOs)
 */
public record StoredEntry(TarEntry entry, Checksum object) {

    public StoredEntry {
        Objects.requireNonNull(entry, "entry");
        boolean hasObject = switch (entry.type()) {
            case REGULAR, SYMLINK, DIRECTORY -> true;
            default -> false;
        };
        if (hasObject != (object != null)) {
            throw new IllegalArgumentException(entry.type() + " entry '" + entry.path() + "' "
                    + (hasObject ? "needs" : "has no") + " object");
        }
    }

    /** Whether the entry is of {@code type}. */
    public boolean is(TarEntryType type) {
        return entry.type() == type;
    }
}
