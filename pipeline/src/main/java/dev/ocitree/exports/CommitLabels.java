package dev.ocitree.exports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The image config labels an export writes (docs/export.md, "What the image carries"):
 *
 * <ul>
 *   <li>{@value #COMMIT}: the commit object's bytes, standard base64 — subject, body, timestamp,
 *       parent and metadata in their original serialisation, so an import that rebuilds the same
 *       root tree stores the same commit checksum;</li>
 *   <li>{@value #COMMIT_META}: the detached metadata ({@code .commitmeta}) bytes, base64, when the
 *       commit has some;</li>
 *   <li>{@value #REF}: the ref that was exported, when it was exported by ref;</li>
 *   <li>flatpak's labels, as {@code flatpak build-bundle --oci} writes them: {@value #FLATPAK_REF}
 *       (only for {@code app/…} and {@code runtime/…} refs), {@value #FLATPAK_COMMIT},
 *       {@value #FLATPAK_PARENT}, {@value #FLATPAK_TIMESTAMP}, {@value #FLATPAK_SUBJECT},
 *       {@value #FLATPAK_BODY}, {@value #FLATPAK_METADATA} (the {@code xa.metadata} text) and
 *       {@value #FLATPAK_COMMIT_METADATA}{@code <key>} for each metadata key: base64 of the value
 *       serialised as a GVariant {@code v}. flatpak's own {@code xa.alt-id} and
 *       {@code xa.diff-id} are left out (flatpak adds fresh ones on import; copies would become
 *       duplicate keys).</li>
 * </ul>
 */
final class CommitLabels {

    /** The commit object, base64. */
    public static final String COMMIT = "dev.ocitree.commit";
    /** The detached metadata, base64. */
    public static final String COMMIT_META = "dev.ocitree.commitmeta";
    /** The exported ref. */
    public static final String REF = "dev.ocitree.ref";

    public static final String FLATPAK_REF = "org.flatpak.ref";
    public static final String FLATPAK_COMMIT = "org.flatpak.commit";
    public static final String FLATPAK_PARENT = "org.flatpak.parent-commit";
    public static final String FLATPAK_TIMESTAMP = "org.flatpak.timestamp";
    public static final String FLATPAK_SUBJECT = "org.flatpak.subject";
    public static final String FLATPAK_BODY = "org.flatpak.body";
    public static final String FLATPAK_METADATA = "org.flatpak.metadata";
    public static final String FLATPAK_COMMIT_METADATA = "org.flatpak.commit-metadata.";

    /** Keys flatpak adds on its own OCI import; never exported as labels. */
    static final Set<String> FLATPAK_IMPORT_KEYS = Set.of("xa.alt-id", "xa.diff-id");

    private CommitLabels() {
    }

    /** Whether a ref is a flatpak ref ({@code app/NAME/ARCH/BRANCH} or {@code runtime/…}). */
    public static boolean isFlatpakRef(String ref) {
        return ref != null && (ref.startsWith("app/") || ref.startsWith("runtime/")) && ref.split("/", -1).length == 4;
    }

    /**
     * The labels for a commit, in a fixed order.
     *
     * @param checksum the commit's checksum
     * @param commit   the commit
     * @param detached its detached metadata, or null
     * @param ref      the exported ref, or null when exported by checksum
     */
    static Map<String, String> of(Checksum checksum, Commit commit, DetachedMetadata detached, String ref) {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, String> labels = new LinkedHashMap<>();
        if (isFlatpakRef(ref)) {
            labels.put(FLATPAK_REF, ref);
        }
        labels.put(FLATPAK_COMMIT, checksum.hex());
        if (commit.parent() != null) {
            labels.put(FLATPAK_PARENT, commit.parent().hex());
        }
        labels.put(FLATPAK_TIMESTAMP, Long.toString(commit.timestampSeconds()));
        labels.put(FLATPAK_SUBJECT, commit.subject());
        labels.put(FLATPAK_BODY, commit.body());
        Variant xaMetadata = commit.metadata().get("xa.metadata");
        if (xaMetadata != null && xaMetadata.type().equals("s")) {
            labels.put(FLATPAK_METADATA, xaMetadata.asString());
        }
        commit.metadata().forEach((key, value) -> {
            if (!FLATPAK_IMPORT_KEYS.contains(key)) {
                labels.put(FLATPAK_COMMIT_METADATA + key, b64.encodeToString(Variant.variant(value).serialize()));
            }
        });
        labels.put(COMMIT, b64.encodeToString(commit.serialize()));
        if (detached != null && !detached.entries().isEmpty()) {
            labels.put(COMMIT_META, b64.encodeToString(detached.serialize()));
        }
        if (ref != null) {
            labels.put(REF, ref);
        }
        return labels;
    }

    /** Decodes a base64 label, naming it in the error. */
    public static byte[] base64(String label, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new CommitRestoreException("label " + label + " is not base64: " + e.getMessage(), e);
        }
    }

    /** A {@value #FLATPAK_COMMIT_METADATA} value: base64 of a serialised {@code v}. */
    public static Variant flatpakMetadataValue(String label, String value) {
        try {
            return Variant.parse("v", base64(label, value)).asVariant();
        } catch (GVariantException e) {
            throw new CommitRestoreException("label " + label + " is not a serialised GVariant: " + e.getMessage(), e);
        }
    }
}
