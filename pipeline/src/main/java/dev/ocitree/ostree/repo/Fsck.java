package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.ObjectType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Our {@code ostree fsck}: every ref must name a present, loadable commit; every loose object is
 * re-hashed (metadata: SHA-256 of the bytes plus a parse; content: header + data as in §2.3); every
 * commit's tree is traversed to find referenced objects that are missing. Parents are not required
 * (a pruned history is normal). Blocking.
 */
final class Fsck {

    private final OstreeRepository repo;
    private final LooseObjects objects;
    private final ContentObjects content;
    private final RefStore refs;

    Fsck(OstreeRepository repo, LooseObjects objects, ContentObjects content, RefStore refs) {
        this.repo = repo;
        this.objects = objects;
        this.content = content;
        this.refs = refs;
    }

    FsckReport run() throws IOException {
        List<FsckReport.Problem> corrupt = new ArrayList<>();
        List<FsckReport.Problem> missing = new ArrayList<>();
        Set<String> present = new HashSet<>();
        List<LooseObjects.Entry> all = objects.list();
        List<Checksum> commits = new ArrayList<>();
        for (LooseObjects.Entry e : all) {
            present.add(key(e.type(), e.checksum()));
            try {
                check(e);
                if (e.type() == ObjectType.COMMIT) {
                    commits.add(e.checksum());
                }
            } catch (CorruptObjectException | ObjectNotFoundException ex) {
                corrupt.add(new FsckReport.Problem(objects.name(e.type(), e.checksum()), reason(ex)));
            }
        }
        for (String ref : refs.list()) {
            try {
                String hex = refs.resolve(ref);
                if (hex == null || !present.contains(key(ObjectType.COMMIT, Checksum.fromHex(hex)))) {
                    missing.add(new FsckReport.Problem("ref " + ref, "points to missing commit " + hex));
                }
            } catch (InvalidRefException ex) {
                corrupt.add(new FsckReport.Problem("ref " + ref, ex.getMessage()));
            }
        }
        Set<String> visited = new HashSet<>();
        for (Checksum c : commits) {
            Commit commit = repo.loadCommitBlocking(c);
            String by = "referenced by commit " + c.hex();
            expect(ObjectType.DIR_META, commit.rootMeta(), present, missing, by);
            tree(commit.rootTree(), present, visited, missing, by);
        }
        return new FsckReport(all.size(), commits.size(), corrupt, missing);
    }

    private void tree(Checksum tree, Set<String> present, Set<String> visited, List<FsckReport.Problem> missing,
            String by) throws IOException {
        if (!visited.add(tree.hex())) {
            return;
        }
        if (!expect(ObjectType.DIR_TREE, tree, present, missing, by)) {
            return;
        }
        Dirtree dt;
        try {
            dt = repo.loadDirtreeBlocking(tree);
        } catch (CorruptObjectException e) {
            return; // already reported as corrupt
        }
        for (Checksum file : dt.files().values()) {
            expect(ObjectType.FILE, file, present, missing, by);
        }
        for (Dirtree.Subdir sub : dt.dirs().values()) {
            expect(ObjectType.DIR_META, sub.meta(), present, missing, by);
            tree(sub.tree(), present, visited, missing, by);
        }
    }

    private boolean expect(ObjectType type, Checksum c, Set<String> present, List<FsckReport.Problem> missing,
            String by) {
        if (present.contains(key(type, c))) {
            return true;
        }
        FsckReport.Problem p = new FsckReport.Problem(objects.name(type, c), "missing, " + by);
        if (!missing.contains(p)) {
            missing.add(p);
        }
        return false;
    }

    private void check(LooseObjects.Entry e) throws IOException {
        switch (e.type()) {
            case COMMIT -> repo.loadCommitBlocking(e.checksum());
            case DIR_TREE -> repo.loadDirtreeBlocking(e.checksum());
            case DIR_META -> repo.loadDirmetaBlocking(e.checksum());
            case FILE -> content.copyTo(content.stat(e.checksum()), null);
            default -> objects.readMetadata(e.type(), e.checksum());
        }
    }

    private static String key(ObjectType type, Checksum c) {
        return c.hex() + "." + type.extension();
    }

    private static String reason(RepositoryException e) {
        String m = e.getMessage();
        int i = m.indexOf(" is corrupt: ");
        return i >= 0 ? m.substring(i + " is corrupt: ".length()) : m;
    }
}
