package dev.ocitree.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.OstreeFormatException;
import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.Transaction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * On import, stores the commit an image announces under its original checksum, after checking
 * that the image's layers rebuilt that commit's tree (docs/export.md, "Importing an export"):
 *
 * <ul>
 *   <li>{@link CommitLabels#COMMIT} (an ocitree export): the commit object itself; its root
 *       dirtree and dirmeta must equal the merged tree's; its detached metadata
 *       ({@link CommitLabels#COMMIT_META}) is stored too;</li>
 *   <li>else {@link CommitLabels#FLATPAK_REF} and {@link CommitLabels#FLATPAK_COMMIT} (a
 *       {@code flatpak build-bundle --oci} image): the commit is rebuilt from the subject, body,
 *       timestamp, parent and {@code org.flatpak.commit-metadata.*} labels over the merged tree.
 *       The labels do not keep the metadata's key order, which is part of the checksum: the label
 *       order is tried first, then every other order (up to 8 keys), and the commit is kept only
 *       if one of them hashes to {@code org.flatpak.commit}.</li>
 * </ul>
 *
 * <p>The restored commit's refs: the exported ref ({@link CommitLabels#REF} or the flatpak ref),
 * and the import's branch, if any; with neither, {@code ostree/container/commit/<checksum>}. When
 * the tree or the checksum differs, the import fails with {@link CommitRestoreException} naming
 * what differs: the check ({@link #plan}) runs on the merged tree before the image is committed, so
 * a refused image leaves no image ref and no branch (only its layer commits).
 */
public final class CommitRestore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PERMUTED_KEYS = 8;

    private CommitRestore() {
    }

    /**
     * A commit announced by an image and checked against the imported tree: its object bytes, its
     * detached metadata (or null), the refs to point at it and where it came from
     * ({@code ocitree} or {@code flatpak}).
     */
    public record Plan(byte[] commit, DetachedMetadata detached, List<String> refs, String source) {
        /** The restored commit's checksum: that of {@link #commit()}. */
        public Checksum checksum() {
            return Checksum.sha256(commit);
        }
    }

    /**
     * Checks the commit {@code image} announces against the tree the import built (root dirtree and
     * dirmeta), before anything is committed; empty when the image announces none. Pure CPU work
     * (a flatpak commit may take up to 40,320 serialisations).
     *
     * @param branch the import's {@code -b} ref, or null
     * @throws CommitRestoreException when the tree or the checksum differs, naming what differs
     */
    public static Optional<Plan> plan(ResolvedImage image, Checksum rootTree, Checksum rootMeta, String branch) {
        Map<String, String> labels = labels(image);
        boolean ocitree = labels.containsKey(CommitLabels.COMMIT);
        boolean flatpak = labels.containsKey(CommitLabels.FLATPAK_REF) && labels.containsKey(CommitLabels.FLATPAK_COMMIT);
        if (!ocitree && !flatpak) {
            return Optional.empty();
        }
        String what = "image " + image.source();
        if (ocitree) {
            byte[] bytes = CommitLabels.base64(CommitLabels.COMMIT, labels.get(CommitLabels.COMMIT));
            Commit original = parse(what, bytes);
            checkTree(what, Checksum.sha256(bytes), original, rootTree, rootMeta);
            DetachedMetadata detached = labels.containsKey(CommitLabels.COMMIT_META)
                    ? parseDetached(what, CommitLabels.base64(CommitLabels.COMMIT_META, labels.get(CommitLabels.COMMIT_META)))
                    : null;
            return Optional.of(new Plan(bytes, detached, refs(labels.get(CommitLabels.REF), branch), "ocitree"));
        }
        Checksum announced = announced(what, labels.get(CommitLabels.FLATPAK_COMMIT));
        byte[] bytes = rebuildFlatpak(what, labels, rootTree, rootMeta, announced);
        return Optional.of(new Plan(bytes, null, refs(labels.get(CommitLabels.FLATPAK_REF), branch), "flatpak"));
    }

    /**
     * Stores a planned commit in {@code tx} under its original checksum, with its detached
     * metadata, and points its refs at it ({@code ostree/container/commit/<checksum>} when it has
     * none); existing refs of those names are moved.
     */
    public static Mono<RestoredCommit> store(Transaction tx, Plan plan) {
        Checksum checksum = plan.checksum();
        List<String> names = plan.refs().isEmpty() ? List.of("ostree/container/commit/" + checksum.hex()) : plan.refs();
        Mono<Void> meta = plan.detached() == null ? Mono.empty() : tx.writeDetachedMetadata(checksum, plan.detached());
        return tx.writeMetadata(ObjectType.COMMIT, plan.commit())
                .then(meta)
                .thenMany(Flux.fromIterable(names).concatMap(ref -> tx.setRef(ref, checksum)))
                .then(Mono.just(new RestoredCommit(checksum, names, plan.source())));
    }

    private static List<String> refs(String exported, String branch) {
        Set<String> refs = new LinkedHashSet<>();
        if (exported != null && !exported.isEmpty()) {
            refs.add(exported);
        }
        if (branch != null) {
            refs.add(branch);
        }
        return new ArrayList<>(refs);
    }

    private static Commit parse(String what, byte[] bytes) {
        try {
            return Commit.parse(bytes);
        } catch (GVariantException | OstreeFormatException e) {
            throw new CommitRestoreException(what + ": label " + CommitLabels.COMMIT + " is not a commit object: "
                    + e.getMessage(), e);
        }
    }

    private static DetachedMetadata parseDetached(String what, byte[] bytes) {
        try {
            return DetachedMetadata.parse(bytes);
        } catch (GVariantException | OstreeFormatException e) {
            throw new CommitRestoreException(what + ": label " + CommitLabels.COMMIT_META
                    + " is not detached metadata: " + e.getMessage(), e);
        }
    }

    private static Checksum announced(String what, String hex) {
        if (!Checksum.isValidHex(hex)) {
            throw new CommitRestoreException(what + ": label " + CommitLabels.FLATPAK_COMMIT + " '" + hex
                    + "' is not a commit checksum");
        }
        return Checksum.fromHex(hex);
    }

    private static void checkTree(String what, Checksum checksum, Commit original, Checksum rootTree, Checksum rootMeta) {
        List<String> diffs = new ArrayList<>();
        if (!original.rootTree().equals(rootTree)) {
            diffs.add("root dirtree " + rootTree.hex() + ", the commit's is " + original.rootTree().hex());
        }
        if (!original.rootMeta().equals(rootMeta)) {
            diffs.add("root dirmeta " + rootMeta.hex() + ", the commit's is " + original.rootMeta().hex());
        }
        if (!diffs.isEmpty()) {
            throw new CommitRestoreException(what + " carries commit " + checksum.hex()
                    + ", but its layers rebuild another tree in this repository (" + String.join("; ", diffs)
                    + "); a bare-user-only repository drops owners, special mode bits and xattrs");
        }
    }

    private static byte[] rebuildFlatpak(String what, Map<String, String> labels, Checksum rootTree, Checksum rootMeta,
            Checksum announced) {
        List<Map.Entry<String, Variant>> entries = new ArrayList<>();
        labels.forEach((label, value) -> {
            if (label.startsWith(CommitLabels.FLATPAK_COMMIT_METADATA)) {
                entries.add(Map.entry(label.substring(CommitLabels.FLATPAK_COMMIT_METADATA.length()),
                        CommitLabels.flatpakMetadataValue(label, value)));
            }
        });
        String parentHex = labels.get(CommitLabels.FLATPAK_PARENT);
        Checksum parent = parentHex == null || parentHex.isEmpty() ? null : announced(what, parentHex);
        long timestamp;
        try {
            timestamp = Long.parseLong(labels.getOrDefault(CommitLabels.FLATPAK_TIMESTAMP, "0"));
        } catch (NumberFormatException e) {
            throw new CommitRestoreException(what + ": label " + CommitLabels.FLATPAK_TIMESTAMP + " is not a number", e);
        }
        String subject = labels.getOrDefault(CommitLabels.FLATPAK_SUBJECT, "");
        String body = labels.getOrDefault(CommitLabels.FLATPAK_BODY, "");
        int n = entries.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Commit first = null;
        do {
            Map<String, Variant> metadata = new LinkedHashMap<>();
            for (int i : order) {
                metadata.put(entries.get(i).getKey(), entries.get(i).getValue());
            }
            Commit candidate = new Commit(metadata, parent, subject, body, timestamp, rootTree, rootMeta);
            byte[] bytes = candidate.serialize();
            if (Checksum.sha256(bytes).equals(announced)) {
                return bytes;
            }
            if (first == null) {
                first = candidate;
            }
        } while (n <= MAX_PERMUTED_KEYS && nextPermutation(order));
        throw new CommitRestoreException(what + " announces flatpak commit " + announced.hex()
                + ", but its labels over the imported tree (content checksum " + first.contentChecksum().hex()
                + ") do not rebuild it in any metadata key order: the tree or the labels differ from the original");
    }

    /** Next lexicographic permutation in place; false after the last. */
    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }

    /** The config's {@code config.Labels}, in document order (empty when absent). */
    static Map<String, String> labels(ResolvedImage image) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode labels = JSON.readTree(image.configBytes()).path("config").path("Labels");
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
        } catch (IOException e) {
            throw new CommitRestoreException("image " + image.source() + ": config is not JSON: " + e.getMessage(), e);
        }
        return out;
    }
}
