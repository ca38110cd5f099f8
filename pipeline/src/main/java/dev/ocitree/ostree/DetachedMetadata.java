package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An {@code a{sv}} stored under a commit's name rather than its own hash: the detached metadata
 * ({@code .commitmeta}, where signatures live) and the tombstone of a deleted commit
 * ({@code .tombstone-commit}) — OSTREE-FORMAT.md §2.8–2.9.
 *
 * @param entries ordered entries (keys non-empty)
 */
public record DetachedMetadata(Map<String, Variant> entries) {

    /** The key of a tombstone's deleted-commit value. */
    public static final String TOMBSTONE_COMMIT_KEY = "commit";

    public DetachedMetadata {
        entries = MetadataDict.copy(entries, "detached metadata");
    }

    /**
     * The tombstone ostree writes when deleting {@code commit}: {@code {'commit': <ay>}} holding the
     * ASCII hex checksum plus a NUL.
     */
    public static DetachedMetadata tombstone(Checksum commit) {
        byte[] hex = commit.hex().getBytes(StandardCharsets.US_ASCII);
        return new DetachedMetadata(Map.of(TOMBSTONE_COMMIT_KEY, Variant.bytes(Arrays.copyOf(hex, hex.length + 1))));
    }

    /**
     * The commit a tombstone names.
     *
     * @throws OstreeFormatException if this is not a well-formed tombstone
     */
    public Checksum tombstonedCommit() {
        Variant v = entries.get(TOMBSTONE_COMMIT_KEY);
        if (v == null || !v.type().equals("ay")) {
            throw new OstreeFormatException("not a tombstone: no 'commit' bytestring");
        }
        byte[] b = v.asBytes();
        if (b.length != 65 || b[64] != 0) {
            throw new OstreeFormatException("invalid tombstone: 'commit' is not 64 hex digits plus NUL");
        }
        return Checksum.fromHex(new String(b, 0, 64, StandardCharsets.US_ASCII));
    }

    /** Normal-form {@code a{sv}} bytes (empty dict = zero bytes). */
    public byte[] serialize() {
        return MetadataDict.serialize(entries);
    }

    /**
     * Parses a {@code .commitmeta} or {@code .tombstone-commit}.
     *
     * @throws GVariantException if the bytes are truncated or not in normal form
     * @throws OstreeFormatException for an empty or duplicate key
     */
    public static DetachedMetadata parse(byte[] serialized) {
        return new DetachedMetadata(MetadataDict.parse(serialized, "detached metadata"));
    }
}
