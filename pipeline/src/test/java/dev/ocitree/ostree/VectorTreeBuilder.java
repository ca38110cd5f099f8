package dev.ocitree.ostree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Test-side model of what {@code ostree commit} does with the vector inputs (OSTREE-FORMAT.md §5):
 * reads {@code treeA.manifest} + contents ({@code --tree=dir=}) or a tar ({@code --tree=tar=},
 * optionally {@code --tar-autocreate-parents}) and builds the tree with the production object model
 * (FileMeta, Dirmeta, canonical(), FileObjectHasher, MutableTree). Nothing here knows an expected
 * checksum.
 */
final class VectorTreeBuilder {

    /** One content object as committed. */
    record FileObject(FileMeta meta, byte[] content, Checksum checksum) {
    }

    private final RepoMode mode;
    final MutableTree root = new MutableTree(null);
    final Map<Checksum, Dirmeta> dirmetas = new HashMap<>();
    final Map<String, FileObject> filesByPath = new TreeMap<>();
    final Map<Checksum, FileObject> objects = new LinkedHashMap<>();
    final Map<Checksum, Dirtree> dirtrees = new LinkedHashMap<>();
    Dirtree.Subdir rootSubdir;

    private VectorTreeBuilder(RepoMode mode) {
        this.mode = mode;
    }

    static VectorTreeBuilder build(String vector, RepoMode mode) {
        VectorTreeBuilder b = new VectorTreeBuilder(mode);
        switch (vector) {
            case "a", "d" -> b.fromManifest();
            case "b" -> b.fromTar("inputs/treeB.tar", false);
            case "c" -> b.fromTar("inputs/treeC.tar", true);
            default -> throw new IllegalArgumentException(vector);
        }
        b.rootSubdir = b.root.write((tree, checksum) -> b.dirtrees.put(checksum, tree));
        return b;
    }

    static byte[] resource(String path) {
        try (InputStream in = VectorTreeBuilder.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource vectors/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fromManifest() {
        String manifest = new String(resource("inputs/treeA.manifest"), StandardCharsets.UTF_8);
        for (String line : manifest.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int perm = Integer.parseInt(f[1], 8);
            List<String> path = f[2].equals(".") ? List.of() : List.of(f[2].split("/"));
            switch (f[0]) {
                case "d" -> setDirMeta(path.isEmpty() ? root : parentOf(path).putDir(last(path), null),
                        Dirmeta.directory(0, 0, perm, Xattrs.empty()).canonical(mode));
                case "f" -> addFile(path, FileMeta.regular(0, 0, perm, Xattrs.empty()).canonical(mode),
                        resource("inputs/treeA/" + f[2]));
                case "l" -> addFile(path, FileMeta.symlink(0, 0, f[3], Xattrs.empty()).canonical(mode), new byte[0]);
                default -> throw new IllegalArgumentException(line);
            }
        }
    }

    private void fromTar(String resource, boolean autocreateParents) {
        List<List<String>[]> hardlinks = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(resource(resource)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                List<String> path = normalize(e.getName());
                int uid = (int) e.getLongUserId();
                int gid = (int) e.getLongGroupId();
                int perm = e.getMode() & 07777;
                Xattrs xattrs = xattrs(e);
                if (path.isEmpty()) {
                    setDirMeta(root, Dirmeta.directory(uid, gid, perm, xattrs).canonical(mode));
                    continue;
                }
                MutableTree parent = ensureParent(path, uid, gid, autocreateParents);
                if (e.isDirectory()) {
                    setDirMeta(parent.putDir(last(path), null), Dirmeta.directory(uid, gid, perm, xattrs).canonical(mode));
                } else if (e.isSymbolicLink()) {
                    addFile(path, FileMeta.symlink(uid, gid, e.getLinkName(), xattrs).canonical(mode), new byte[0]);
                } else if (e.isLink()) {
                    @SuppressWarnings("unchecked")
                    List<String>[] link = new List[] {path, normalize(e.getLinkName())};
                    hardlinks.add(link);
                } else if (e.isFile()) {
                    addFile(path, FileMeta.regular(uid, gid, perm, xattrs).canonical(mode), tar.readAllBytes());
                } else {
                    throw new IllegalArgumentException("unsupported entry " + e.getName());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (List<String>[] link : hardlinks) {
            FileObject target = filesByPath.get(String.join("/", link[1]));
            parentOf(link[0]).putFile(last(link[0]), target.checksum());
            filesByPath.put(String.join("/", link[0]), target);
        }
        if (autocreateParents && root.meta() == null) {
            setDirMeta(root, Dirmeta.directory(0, 0, 0755, Xattrs.empty()).canonical(mode));
        }
    }

    /** §5.1 step 4: with autocreate, a missing ancestor rewrites the root and every ancestor to (uid, gid, 0755). */
    private MutableTree ensureParent(List<String> path, int uid, int gid, boolean autocreate) {
        MutableTree t = root;
        boolean missing = false;
        for (String c : path.subList(0, path.size() - 1)) {
            t = t == null ? null : t.dir(c);
            missing |= t == null;
        }
        if (!missing) {
            return t;
        }
        if (!autocreate) {
            throw new IllegalStateException("No such file or directory: " + path);
        }
        Dirmeta auto = Dirmeta.directory(uid, gid, 0755, Xattrs.empty());
        t = root;
        setDirMeta(t, auto);
        for (String c : path.subList(0, path.size() - 1)) {
            t = t.putDir(c, null);
            setDirMeta(t, auto);
        }
        return t;
    }

    private static Xattrs xattrs(TarArchiveEntry e) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        e.getExtraPaxHeaders().forEach((k, v) -> {
            if (k.startsWith("SCHILY.xattr.")) {
                map.put(k.substring("SCHILY.xattr.".length()), v.getBytes(StandardCharsets.UTF_8));
            }
        });
        return Xattrs.of(map);
    }

    /** §5.1 step 1 for the paths the vectors use: strip leading '/' and './', drop empty and '.' parts. */
    static List<String> normalize(String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    private void setDirMeta(MutableTree dir, Dirmeta meta) {
        Checksum c = meta.checksum();
        dirmetas.put(c, meta);
        dir.setMeta(c);
    }

    private void addFile(List<String> path, FileMeta meta, byte[] content) {
        Checksum c = FileObjectHasher.checksum(meta, content);
        FileObject o = new FileObject(meta, content, c);
        objects.put(c, o);
        filesByPath.put(String.join("/", path), o);
        parentOf(path).putFile(last(path), c);
    }

    private MutableTree parentOf(List<String> path) {
        MutableTree t = root;
        for (String c : path.subList(0, path.size() - 1)) {
            t = t.dir(c);
        }
        return t;
    }

    private static String last(List<String> path) {
        return path.get(path.size() - 1);
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
