package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A commit object {@code (a{sv}aya(say)sstayay)} (OSTREE-FORMAT.md §2.7): metadata, parent, an
 * always-empty related-objects array, subject, body, big-endian timestamp, root dirtree and root
 * dirmeta. Its checksum is the SHA-256 of {@link #serialize()}.
 *
 * <p>Metadata keeps its insertion order — GVariant dicts are not sorted, and ostree's own order is
 * {@code --add-metadata-string}, {@code --add-metadata}, kept keys, {@link #REF_BINDING},
 * {@link #COLLECTION_BINDING}. Ref bindings are ordinary metadata entries: {@code ostree commit -b B}
 * adds {@code REF_BINDING → refBinding(List.of(B))}.
 *
 * @param metadata ordered metadata (keys non-empty)
 * @param parent the parent commit, or null
 * @param subject the subject line ("" if none)
 * @param body the body ("" if none)
 * @param timestampSeconds seconds since the epoch, UTC
 * @param rootTree the root dirtree
 * @param rootMeta the root dirmeta
 */
public record Commit(Map<String, Variant> metadata, Checksum parent, String subject, String body,
        long timestampSeconds, Checksum rootTree, Checksum rootMeta) {

    /** Metadata key of the ref binding ({@code as}, refs sorted) that {@code ostree commit -b} writes. */
    public static final String REF_BINDING = "ostree.ref-binding";
    /** Metadata key of the collection binding ({@code s}) written when the repo has a collection id. */
    public static final String COLLECTION_BINDING = "ostree.collection-binding";

    private static final String TYPE = "(a{sv}aya(say)sstayay)";

    /**
     * @throws OstreeFormatException for an empty metadata key (ostree's fsck rejects it)
     */
    public Commit {
        metadata = MetadataDict.copy(metadata, "commit metadata");
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
        if (rootTree == null || rootMeta == null) {
            throw new NullPointerException("a commit needs a root dirtree and a root dirmeta");
        }
    }

    /** The value of {@link #REF_BINDING} for these refs: an {@code as}, sorted by UTF-8 bytes. */
    public static Variant refBinding(Collection<String> refs) {
        List<String> sorted = new ArrayList<>(refs);
        sorted.sort(FileNames.UTF8_ORDER);
        return Variant.strings(sorted);
    }

    /** The refs of {@link #REF_BINDING}, or an empty list if the commit has no (well-typed) binding. */
    public List<String> refBindings() {
        Variant v = metadata.get(REF_BINDING);
        return v != null && v.type().equals("as") ? v.asStrings() : List.of();
    }

    /** What {@code ostree log} prints as ContentChecksum: SHA-256 of root dirtree ‖ root dirmeta bytes. */
    public Checksum contentChecksum() {
        byte[] both = new byte[64];
        System.arraycopy(rootTree.rawBytes(), 0, both, 0, 32);
        System.arraycopy(rootMeta.rawBytes(), 0, both, 32, 32);
        return Checksum.sha256(both);
    }

    /** Normal-form bytes, as stored in {@code .commit}. */
    public byte[] serialize() {
        return Variant.of(TYPE, List.of(MetadataDict.toGVariant(metadata),
                parent == null ? new byte[0] : parent.rawBytes(), List.of(), subject, body,
                Long.reverseBytes(timestampSeconds), rootTree.rawBytes(), rootMeta.rawBytes())).serialize();
    }

    /** SHA-256 of {@link #serialize()}: the commit's name. */
    public Checksum checksum() {
        return Checksum.sha256(serialize());
    }

    /**
     * Parses a {@code .commit} object.
     *
     * @throws GVariantException if the bytes are truncated or not in normal form
     * @throws OstreeFormatException for a parent that is neither empty nor 32 bytes, root checksums
     *     that are not 32 bytes, an empty or duplicate metadata key, or related objects (never
     *     written by ostree and not represented here)
     */
    public static Commit parse(byte[] serialized) {
        List<?> v = (List<?>) Variant.parse(TYPE, serialized).value();
        Map<String, Variant> metadata = MetadataDict.fromGVariant(v.get(0), "commit metadata");
        byte[] parent = (byte[]) v.get(1);
        if (parent.length != 0 && parent.length != 32) {
            throw new OstreeFormatException("invalid commit: parent checksum has " + parent.length + " bytes, not 0 or 32");
        }
        if (!((List<?>) v.get(2)).isEmpty()) {
            throw new OstreeFormatException("invalid commit: non-empty related objects are not supported");
        }
        return new Commit(metadata, parent.length == 0 ? null : Checksum.of(parent), (String) v.get(3),
                (String) v.get(4), Long.reverseBytes((Long) v.get(5)), root(v.get(6), "dirtree"), root(v.get(7), "dirmeta"));
    }

    private static Checksum root(Object bytes, String what) {
        byte[] b = (byte[]) bytes;
        if (b.length != 32) {
            throw new OstreeFormatException("invalid commit: root " + what + " checksum has " + b.length + " bytes, not 32");
        }
        return Checksum.of(b);
    }
}
