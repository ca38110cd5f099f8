package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.ObjectType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ostree prune --refs-only}: keeps what refs reach (each ref's commit and its present
 * ancestors, their trees, dirmetas, files and detached metadata) and deletes every other loose
 * object. Runs under the exclusive lock (the caller takes it). Blocking.
 */
final class Prune {

    private final OstreeRepository repo;
    private final LooseObjects objects;
    private final RefStore refs;

    Prune(OstreeRepository repo, LooseObjects objects, RefStore refs) {
        this.repo = repo;
        this.objects = objects;
        this.refs = refs;
    }

    PruneReport run() throws IOException {
        Set<String> keep = new HashSet<>();
        for (String ref : refs.list()) {
            Checksum c = Checksum.fromHex(refs.resolve(ref));
            while (c != null && objects.has(ObjectType.COMMIT, c) && keep.add(key(ObjectType.COMMIT, c))) {
                keep.add(key(ObjectType.COMMIT_META, c));
                Commit commit = repo.loadCommitBlocking(c);
                keep.add(key(ObjectType.DIR_META, commit.rootMeta()));
                tree(commit.rootTree(), keep);
                c = commit.parent();
            }
        }
        List<LooseObjects.Entry> all = objects.list();
        long deleted = 0;
        long bytes = 0;
        for (LooseObjects.Entry e : all) {
            if (e.type() == ObjectType.TOMBSTONE_COMMIT || keep.contains(key(e.type(), e.checksum()))) {
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(e.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Files.delete(e.path());
            objects.files().markDirty(e.path().getParent());
            deleted++;
            bytes += a.size();
        }
        objects.files().syncDirectories();
        return new PruneReport(all.size(), deleted, bytes);
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
