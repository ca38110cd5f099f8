package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.gvariant.Variant;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to commit, as an immutable value ({@code with…} methods return a copy), mirroring
 * {@code ostree commit}: the root tree and its dirmeta, subject, body, timestamp, metadata (kept in
 * insertion order, as ostree does), the parent, and the branch to move.
 *
 * <p>Like {@code ostree commit -b BRANCH}: with a {@link #ref()} the commit gets the metadata key
 * {@code ostree.ref-binding = [BRANCH]} after the caller's keys (unless {@link #withoutRefBinding()}),
 * its parent is the ref's current value (unless {@link #withParent} or {@link #orphan}), and the ref
 * is pointed at the new commit once its objects are on disk.
 *
 * @param rootTree root dirtree checksum
 * @param rootMeta root dirmeta checksum
 * @param subject subject line ("" by default)
 * @param body body ("" by default)
 * @param timestampSeconds seconds since the epoch (UTC)
 * @param metadata commit metadata in insertion order, excluding the bindings added on commit
 * @param parent explicit parent, or null
 * @param parentFromRef whether the parent is the current value of {@code ref} (ignored when {@code parent} is set)
 * @param ref local branch to set, or null
 * @param refBinding whether to add {@code ostree.ref-binding} (and {@code ostree.collection-binding}
 *     when the repository has a collection id)
 */
public record CommitRequest(Checksum rootTree, Checksum rootMeta, String subject, String body, long timestampSeconds,
        Map<String, Variant> metadata, Checksum parent, boolean parentFromRef, String ref, boolean refBinding) {

    public CommitRequest {
        Objects.requireNonNull(rootTree, "rootTree");
        Objects.requireNonNull(rootMeta, "rootMeta");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A commit of a root (tree, meta) with empty subject/body, the current time, no metadata, no ref. */
    public static CommitRequest of(Checksum rootTree, Checksum rootMeta) {
        return new CommitRequest(rootTree, rootMeta, "", "", Instant.now().getEpochSecond(), Map.of(), null, true,
                null, true);
    }

    public CommitRequest withSubject(String s) {
        return new CommitRequest(rootTree, rootMeta, s, body, timestampSeconds, metadata, parent, parentFromRef, ref,
                refBinding);
    }

    public CommitRequest withBody(String b) {
        return new CommitRequest(rootTree, rootMeta, subject, b, timestampSeconds, metadata, parent, parentFromRef, ref,
                refBinding);
    }

    public CommitRequest withTimestamp(long seconds) {
        return new CommitRequest(rootTree, rootMeta, subject, body, seconds, metadata, parent, parentFromRef, ref,
                refBinding);
    }

    /** Adds (or replaces) one metadata entry; the first insertion fixes its position. */
    public CommitRequest withMetadata(String key, Variant value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("commit metadata keys must not be empty");
        }
        Map<String, Variant> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new CommitRequest(rootTree, rootMeta, subject, body, timestampSeconds, m, parent, parentFromRef, ref,
                refBinding);
    }

    /** Like {@code --add-metadata-string=K=V}. */
    public CommitRequest withMetadataString(String key, String value) {
        return withMetadata(key, Variant.string(value));
    }

    /** Sets the parent explicitly (like {@code --parent=CHECKSUM}). */
    public CommitRequest withParent(Checksum p) {
        return new CommitRequest(rootTree, rootMeta, subject, body, timestampSeconds, metadata, p, false, ref,
                refBinding);
    }

    /** No parent, even when the ref exists (like {@code --parent=none}). */
    public CommitRequest orphan() {
        return new CommitRequest(rootTree, rootMeta, subject, body, timestampSeconds, metadata, null, false, ref,
                refBinding);
    }

    /** The local branch to point at the commit (like {@code -b BRANCH}). */
    public CommitRequest withRef(String branch) {
        return new CommitRequest(rootTree, rootMeta, subject, body, timestampSeconds, metadata, parent, parentFromRef,
                branch, refBinding);
    }

    /** Omits the binding metadata (like {@code --no-bindings}). */
    public CommitRequest withoutRefBinding() {
        return new CommitRequest(rootTree, rootMeta, subject, body, timestampSeconds, metadata, parent, parentFromRef,
                ref, false);
    }
}
