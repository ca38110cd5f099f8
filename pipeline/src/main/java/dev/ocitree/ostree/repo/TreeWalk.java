package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Path lookups (files followed through symlinks) and {@code ostree ls}-style listings in a commit's tree. Blocking. */
final class TreeWalk {

    /** Most symlinks one lookup follows (Linux's MAXSYMLINKS). */
    static final int MAX_SYMLINKS = 40;

    private final OstreeRepository repo;
    private final ContentObjects content;

    TreeWalk(OstreeRepository repo, ContentObjects content) {
        this.repo = repo;
        this.content = content;
    }

    /** Where a path lands: a directory (tree + meta) or a file (content checksum). */
    private record Found(String path, Checksum tree, Checksum meta, Checksum file) {
    }

    private Found find(Checksum commitChecksum, String path) throws IOException {
        Commit commit = repo.loadCommitBlocking(commitChecksum);
        Checksum tree = commit.rootTree();
        Checksum meta = commit.rootMeta();
        List<String> parts = splitPath(path);
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String name = parts.get(i);
            at.append('/').append(name);
            Dirtree dt = repo.loadDirtreeBlocking(tree);
            Dirtree.Subdir sub = dt.dirs().get(name);
            if (sub != null) {
                tree = sub.tree();
                meta = sub.meta();
                continue;
            }
            Checksum file = dt.files().get(name);
            if (file != null && i == parts.size() - 1) {
                return new Found(at.toString(), null, null, file);
            }
            throw new NoSuchPathException(repo.path(), commitChecksum.hex(), at.toString(),
                    file != null ? "not a directory" : "no such file or directory");
        }
        return new Found(at.length() == 0 ? "/" : at.toString(), tree, meta, null);
    }

    /**
     * The content checksum of the regular file at {@code path}, following symlinks inside the commit
     * as {@code ostree cat} and open(2) do: a relative target from the link's directory, an absolute
     * one from the commit's root, {@code ..} stopping at the root, at most {@value #MAX_SYMLINKS} links.
     */
    Checksum file(Checksum commitChecksum, String path) throws IOException {
        Commit commit = repo.loadCommitBlocking(commitChecksum);
        Deque<String> todo = new ArrayDeque<>(splitPath(path));
        List<String> names = new ArrayList<>();
        List<Checksum> trees = new ArrayList<>(List.of(commit.rootTree()));
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                    trees.remove(trees.size() - 1);
                }
                continue;
            }
            String at = "/" + String.join("/", names) + (names.isEmpty() ? "" : "/") + name;
            Dirtree dt = repo.loadDirtreeBlocking(trees.get(trees.size() - 1));
            Dirtree.Subdir sub = dt.dirs().get(name);
            if (sub != null) {
                names.add(name);
                trees.add(sub.tree());
                continue;
            }
            Checksum file = dt.files().get(name);
            if (file == null) {
                throw new NoSuchPathException(repo.path(), commitChecksum.hex(), at, "no such file or directory");
            }
            FileMeta meta = content.stat(file).meta();
            if (meta.isSymlink()) {
                if (++links > MAX_SYMLINKS) {
                    throw new NoSuchPathException(repo.path(), commitChecksum.hex(), path,
                            "too many levels of symbolic links");
                }
                String target = meta.symlinkTarget();
                if (target.startsWith("/")) {
                    names.clear();
                    trees.subList(1, trees.size()).clear();
                }
                List<String> parts = splitPath(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            if (!todo.isEmpty()) {
                throw new NoSuchPathException(repo.path(), commitChecksum.hex(), at, "not a directory");
            }
            return file;
        }
        throw new NoSuchPathException(repo.path(), commitChecksum.hex(),
                "/" + String.join("/", names), "is a directory");
    }

    List<TreeEntry> list(Checksum commit, String path, boolean recursive) throws IOException {
        Found f = find(commit, path);
        List<TreeEntry> out = new ArrayList<>();
        if (f.file() != null) {
            out.add(fileEntry(f.path(), f.file()));
            return out;
        }
        out.add(dirEntry(f.path(), f.tree(), f.meta()));
        children(f.path(), f.tree(), recursive, out);
        return out;
    }

    private void children(String dirPath, Checksum tree, boolean recursive, List<TreeEntry> out) throws IOException {
        Dirtree dt = repo.loadDirtreeBlocking(tree);
        String prefix = dirPath.equals("/") ? "/" : dirPath + "/";
        for (Map.Entry<String, Checksum> e : dt.files().entrySet()) {
            out.add(fileEntry(prefix + e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, Dirtree.Subdir> e : dt.dirs().entrySet()) {
            String p = prefix + e.getKey();
            out.add(dirEntry(p, e.getValue().tree(), e.getValue().meta()));
            if (recursive) {
                children(p, e.getValue().tree(), true, out);
            }
        }
    }

    private TreeEntry fileEntry(String path, Checksum checksum) throws IOException {
        ContentObjects.Stored s = content.stat(checksum);
        FileMeta m = s.meta();
        return new TreeEntry(path, m.mode(), m.uid(), m.gid(), m.isSymlink() ? 0 : s.size(), checksum, null,
                m.symlinkTarget());
    }

    private TreeEntry dirEntry(String path, Checksum tree, Checksum meta) throws IOException {
        Dirmeta dm = repo.loadDirmetaBlocking(meta);
        return new TreeEntry(path, dm.mode(), dm.uid(), dm.gid(), 0, tree, meta, null);
    }

    private static List<String> splitPath(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return parts;
    }
}
