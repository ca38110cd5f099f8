package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.ObjectType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ostree prune --refs-only} with a {@link PrunePolicy}: deletes the refs the policy names,
 * keeps what the remaining refs reach (each ref's commit and its present ancestors, their trees,
 * dirmetas, files and detached metadata) and deletes every other loose object. Runs under the
 * exclusive lock (the caller takes it). Blocking.
 *
 * <p><b>Crash safety: top-down, one sync per level.</b> Refs are deleted (and their directories
 * synced) first; then the unreachable commits, sync; then their detached metadata and the
 * dirtrees, sync; then dirmetas and files, sync. A kill at any point therefore leaves refs that
 * name whole commits, and commits whose trees and files are all present: only unreachable objects
 * can be missing their children, and nothing reads those. (ostree deletes in directory order, so a
 * kill can leave a commit whose dirtree is gone.)
 */
final class Prune {

    /** Deletion order: a level is deleted and synced before the objects it points at. */
    private static final List<Set<ObjectType>> LEVELS = List.of(
            Set.of(ObjectType.COMMIT),
            Set.of(ObjectType.COMMIT_META, ObjectType.DIR_TREE),
            Set.of(ObjectType.DIR_META, ObjectType.FILE));

    private final OstreeRepository repo;
    private final LooseObjects objects;
    private final RefStore refs;

    Prune(OstreeRepository repo, LooseObjects objects, RefStore refs) {
        this.repo = repo;
        this.objects = objects;
        this.refs = refs;
    }

    PruneReport run(PrunePolicy policy, Staging.Sweep staging) throws IOException {
        List<String> deletedRefs = deleteRefs(policy);
        Set<String> keep = reachable();
        List<LooseObjects.Entry> all = objects.list();
        Map<ObjectType, List<LooseObjects.Entry>> byType = new EnumMap<>(ObjectType.class);
        for (LooseObjects.Entry e : all) {
            if (e.type() != ObjectType.TOMBSTONE_COMMIT && !keep.contains(key(e.type(), e.checksum()))) {
                byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e);
            }
        }
        long deleted = 0;
        long bytes = 0;
        for (Set<ObjectType> level : LEVELS) {
            for (ObjectType type : level) {
                for (LooseObjects.Entry e : byType.getOrDefault(type, List.of())) {
                    BasicFileAttributes a = Files.readAttributes(e.path(), BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    Files.delete(e.path());
                    objects.files().markDirty(e.path().getParent());
                    deleted++;
                    bytes += a.size();
                }
            }
            objects.files().syncDirectories();
        }
        return new PruneReport(all.size(), deleted, bytes, deletedRefs, staging.areas(), staging.bytes());
    }

    /** Asks the policy with every ref and its commit, deletes what it chose (synced), returns it sorted. */
    private List<String> deleteRefs(PrunePolicy policy) throws IOException {
        Map<String, Checksum> current = new LinkedHashMap<>();
        for (String ref : refs.list()) {
            String hex = refs.resolve(ref);
            if (hex != null) {
                current.put(ref, Checksum.fromHex(hex));
            }
        }
        Set<String> chosen = new TreeSet<>(policy.refsToDelete(current, this::commitOrNull));
        for (String ref : chosen) {
            if (!current.containsKey(ref)) {
                throw new IllegalArgumentException("prune policy chose '" + ref + "', which is not a ref");
            }
            refs.delete(RefNames.parse(repo.path(), ref));
        }
        return List.copyOf(chosen);
    }

    private Commit commitOrNull(Checksum c) {
        try {
            return objects.has(ObjectType.COMMIT, c) ? repo.loadCommitBlocking(c) : null;
        } catch (IOException | RepositoryException e) {
            return null;
        }
    }

    private Set<String> reachable() throws IOException {
        Set<String> keep = new HashSet<>();
        for (String ref : refs.list()) {
            String hex = refs.resolve(ref);
            Checksum c = hex == null ? null : Checksum.fromHex(hex);
            while (c != null && objects.has(ObjectType.COMMIT, c) && keep.add(key(ObjectType.COMMIT, c))) {
                keep.add(key(ObjectType.COMMIT_META, c));
                Commit commit = repo.loadCommitBlocking(c);
                keep.add(key(ObjectType.DIR_META, commit.rootMeta()));
                tree(commit.rootTree(), keep);
                c = commit.parent();
            }
        }
        return keep;
    }

    private void tree(Checksum tree, Set<String> keep) throws IOException {
        if (!keep.add(key(ObjectType.DIR_TREE, tree)) || !objects.has(ObjectType.DIR_TREE, tree)) {
            return;
        }
        Dirtree dt = repo.loadDirtreeBlocking(tree);
        for (Checksum f : dt.files().values()) {
            keep.add(key(ObjectType.FILE, f));
        }
        for (Dirtree.Subdir sub : dt.dirs().values()) {
            keep.add(key(ObjectType.DIR_META, sub.meta()));
            tree(sub.tree(), keep);
        }
    }

    private static String key(ObjectType type, Checksum c) {
        return c.hex() + "." + type.extension();
    }
}
