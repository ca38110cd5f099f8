package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.MutableTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One layer's content as a tree, built from its tar entries in archive order, kept as it is:
 * whiteout files are ordinary (empty) files here; they take effect only in the merge
 * ({@link LayerMerger}). Within the layer a later entry replaces an earlier one of the same name
 * (a directory entry over a directory only replaces its metadata).
 *
 * <p>What a tree cannot say is recorded beside it, and goes into the layer commit's metadata:
 * directories created only as parents of entries ({@link #implicitDirs()}; the merge resolves
 * those through a lower layer's symlink, as umoci does), hardlinks whose target is not in this
 * layer ({@link #externalHardlinks()}; resolved against the lower layers in the merge) and
 * entries OSTree cannot hold (devices, FIFOs: {@link #skipped()}).
 *
 * <p>Not thread-safe; one builder per layer, fed by one subscriber.
 */
final class LayerTree {

    private final String layer;
    private final Checksum implicitMeta;
    private final MutableTree root;
    private final NavigableSet<String> implicitDirs = new TreeSet<>();
    private final NavigableMap<String, String> externalHardlinks = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();
    private String replaced;

    /**
     * @param layer        the layer digest, for messages
     * @param implicitMeta dirmeta of directories that have no entry of their own (0755 root:root,
     *                     canonicalised for the repository); the caller stores that object
     * @param maxDirectoryEntries the most entries a directory may have ({@code StreamLimits})
     */
    LayerTree(String layer, Checksum implicitMeta, int maxDirectoryEntries) {
        this.layer = layer;
        this.implicitMeta = implicitMeta;
        this.root = new MutableTree(implicitMeta, maxDirectoryEntries);
        this.implicitDirs.add("");
    }

    MutableTree root() {
        return root;
    }

    /** A directory entry: creates the directory or replaces an existing one's metadata (a file is replaced). */
    void directory(String entry, Checksum metaChecksum) {
        List<String> path = LayerPath.components(entry);
        String joined = LayerPath.join(path);
        if (path.isEmpty()) {
            root.setMeta(metaChecksum);
        } else {
            MutableTree parent = parentOf(entry, path);
            String name = path.get(path.size() - 1);
            if (parent.dir(name) == null) {
                noteReplaced(parent, name, joined);
                forget(joined);
            }
            parent.putDir(name, metaChecksum);
        }
        implicitDirs.remove(joined);
    }

    /** A regular file or symlink entry whose content object is {@code checksum}; replaces whatever had the name. */
    void file(String entry, Checksum checksum) {
        List<String> path = LayerPath.components(entry);
        if (path.isEmpty()) {
            throw new LayerFormatException(layer, entry, "a non-directory cannot replace the root");
        }
        MutableTree parent = parentOf(entry, path);
        String joined = LayerPath.join(path);
        noteReplaced(parent, path.get(path.size() - 1), joined);
        forget(joined);
        parent.putFile(path.get(path.size() - 1), checksum);
    }

    /**
     * A hardlink entry: takes the target's content object when the target is a file of this layer;
     * otherwise the link is recorded for the merge. A link to a directory is an error.
     */
    void hardlink(String entry, String target) {
        List<String> path = LayerPath.components(entry);
        List<String> to = LayerPath.components(target);
        if (path.isEmpty() || to.isEmpty()) {
            throw new LayerFormatException(layer, entry, "hardlink from or to the root ('" + target + "')");
        }
        MutableTree targetParent = lookupDir(to.subList(0, to.size() - 1));
        String targetName = to.get(to.size() - 1);
        if (targetParent != null && targetParent.dir(targetName) != null) {
            throw new LayerFormatException(layer, entry, "hardlink to directory '" + target + "'");
        }
        Checksum content = targetParent == null ? null : targetParent.files().get(targetName);
        if (content != null) {
            file(entry, content);
            return;
        }
        MutableTree parent = parentOf(entry, path);
        String joined = LayerPath.join(path);
        noteReplaced(parent, path.get(path.size() - 1), joined);
        forget(joined);
        parent.remove(path.get(path.size() - 1));
        externalHardlinks.put(joined, LayerPath.join(to));
    }

    /** An entry OSTree cannot hold (device node, FIFO): left out and reported. */
    void skip(String entry, String what) {
        List<String> path = LayerPath.components(entry);
        if (!path.isEmpty()) {
            parentOf(entry, path);
        }
        skipped.add(what + " " + LayerPath.join(path));
    }

    /**
     * The first path at which an entry replaced an earlier file, symlink or directory of this same
     * layer (a directory entry over a directory only changes metadata and does not count), or null:
     * the tar then holds content the layer tree does not, and the layer cannot be rebuilt from it.
     */
    String firstReplaced() {
        return replaced;
    }

    private void noteReplaced(MutableTree parent, String name, String joined) {
        if (replaced == null && (parent.files().containsKey(name) || parent.dir(name) != null)) {
            replaced = joined;
        }
    }

    /** Paths ({@code /}-joined, {@code ""} for the root) of directories that had no entry. */
    NavigableSet<String> implicitDirs() {
        return Collections.unmodifiableNavigableSet(implicitDirs);
    }

    /** Hardlinks to files not in this layer: link path → target path. */
    Map<String, String> externalHardlinks() {
        return Collections.unmodifiableMap(externalHardlinks);
    }

    /** What was left out, as {@code "<type> <path>"}. */
    List<String> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    /** The parent directory of {@code path}, creating missing ones as implicit directories. */
    private MutableTree parentOf(String entry, List<String> path) {
        MutableTree dir = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String name = path.get(i);
            MutableTree next = dir.dir(name);
            if (next == null) {
                if (dir.files().containsKey(name)) {
                    throw new LayerFormatException(layer, entry, "'" + LayerPath.join(path.subList(0, i + 1))
                            + "' is a file or symlink of this same layer, not a directory");
                }
                next = dir.putDir(name, implicitMeta);
                implicitDirs.add(LayerPath.join(path.subList(0, i + 1)));
            }
            dir = next;
        }
        return dir;
    }

    private MutableTree lookupDir(List<String> path) {
        MutableTree dir = root;
        for (String name : path) {
            dir = dir.dir(name);
            if (dir == null) {
                return null;
            }
        }
        return dir;
    }

    /** Drops the records of {@code path} and everything below it (it is being replaced). */
    private void forget(String path) {
        implicitDirs.remove(path);
        implicitDirs.subSet(path + "/", path + "0").clear();
        externalHardlinks.remove(path);
        externalHardlinks.subMap(path + "/", path + "0").clear();
    }
}
