package dev.ocitree.ostree;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An in-memory directory tree whose files and directory metadata are referred to by checksum —
 * what an import builds before the dirtrees are written (OSTREE-FORMAT.md §5). Names are kept in
 * ostree's byte order; a name is either a file or a directory.
 *
 * <p>A tree {@linkplain #load loaded} from a commit expands a directory only when it is first
 * looked into, and remembers the dirtree checksum of every directory that has not changed since
 * it was loaded or last {@linkplain #write written}: {@code write} re-serialises only changed
 * directories. Not thread-safe; pure CPU work (the loader function may do I/O — call such trees
 * off the event loop).
 */
public final class MutableTree {

    private final MutableTree parent;
    private final String name;
    /** Most entries a directory of this tree may get (files and subdirectories together). */
    private final int maxEntries;
    private Checksum meta;
    private TreeMap<String, Checksum> files;
    private TreeMap<String, MutableTree> dirs;
    private Checksum sourceTree;
    private Function<Checksum, Dirtree> loader;
    /** Dirtree checksum of the current contents; null when changed since the last load/write. */
    private Checksum cachedTree;

    /**
     * An empty root directory with dirmeta {@code meta} (may be null until set with {@link #setMeta}),
     * whose directories take at most {@link StreamLimits#maxDirectoryEntries()} of the defaults.
     */
    public MutableTree(Checksum meta) {
        this(meta, StreamLimits.defaults().maxDirectoryEntries());
    }

    /**
     * An empty root directory whose directories take at most {@code maxEntries} entries each: adding
     * one more fails with {@link LimitExceededException} naming the directory. A dirtree is held and
     * serialised whole, so this bounds the memory one directory takes.
     */
    public MutableTree(Checksum meta, int maxEntries) {
        this(null, "", meta, maxEntries);
        this.files = new TreeMap<>(FileNames.UTF8_ORDER);
        this.dirs = new TreeMap<>(FileNames.UTF8_ORDER);
    }

    private MutableTree(MutableTree parent, String name, Checksum meta, int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        this.parent = parent;
        this.name = name;
        this.meta = meta;
        this.maxEntries = maxEntries;
    }

    /**
     * A tree standing for the stored directory {@code tree}/{@code meta}; dirtrees are fetched with
     * {@code trees} when a directory is first looked into.
     */
    public static MutableTree load(Checksum tree, Checksum meta, Function<Checksum, Dirtree> trees) {
        MutableTree root = new MutableTree(null, "", meta, StreamLimits.defaults().maxDirectoryEntries());
        root.lazy(tree, trees);
        return root;
    }

    private void lazy(Checksum tree, Function<Checksum, Dirtree> trees) {
        this.sourceTree = tree;
        this.loader = trees;
        this.cachedTree = tree;
    }

    /** This directory's dirmeta checksum (null if not set yet). */
    public Checksum meta() {
        return meta;
    }

    /** Sets this directory's dirmeta checksum. */
    public void setMeta(Checksum meta) {
        if (!Objects.equals(this.meta, meta)) {
            this.meta = meta;
            if (parent != null) {
                parent.changed();
            }
        }
    }

    /** Read-only view of the files (and symlinks), in byte order. */
    public Map<String, Checksum> files() {
        expand();
        return Collections.unmodifiableMap(files);
    }

    /** Read-only view of the subdirectories, in byte order. */
    public Map<String, MutableTree> dirs() {
        expand();
        return Collections.unmodifiableMap(dirs);
    }

    /**
     * Adds or replaces the file {@code name}; a directory of that name (and everything below it)
     * is removed. Callers that must refuse to replace a directory (as {@code ostree commit} does)
     * check {@link #dir} first.
     *
     * @throws OstreeFormatException for an invalid name
     */
    public void putFile(String name, Checksum content) {
        FileNames.validate(name);
        if (content == null) {
            throw new NullPointerException("content checksum of '" + name + "'");
        }
        expand();
        if (dirs.remove(name) == null && !files.containsKey(name)) {
            checkRoomFor(name);
        }
        if (!content.equals(files.put(name, content))) {
            changed();
        }
    }

    /**
     * The subdirectory {@code name}, created if absent (replacing a file of that name). An existing
     * directory keeps its contents and gets {@code meta} unless {@code meta} is null.
     *
     * @throws OstreeFormatException for an invalid name
     */
    public MutableTree putDir(String name, Checksum meta) {
        FileNames.validate(name);
        expand();
        MutableTree existing = dirs.get(name);
        if (existing != null) {
            if (meta != null) {
                existing.setMeta(meta);
            }
            return existing;
        }
        if (files.remove(name) == null) {
            checkRoomFor(name);
        }
        MutableTree child = new MutableTree(this, name, meta, maxEntries);
        child.files = new TreeMap<>(FileNames.UTF8_ORDER);
        child.dirs = new TreeMap<>(FileNames.UTF8_ORDER);
        dirs.put(name, child);
        changed();
        return child;
    }

    /** The subdirectory {@code name}, or null. */
    public MutableTree dir(String name) {
        expand();
        return dirs.get(name);
    }

    /** Removes the file or directory {@code name}; returns whether there was one. */
    public boolean remove(String name) {
        expand();
        boolean removed = files.remove(name) != null | dirs.remove(name) != null;
        if (removed) {
            changed();
        }
        return removed;
    }

    /** Removes every entry (the directory's own metadata stays). */
    public void clear() {
        expand();
        if (!files.isEmpty() || !dirs.isEmpty()) {
            files.clear();
            dirs.clear();
            changed();
        }
    }

    /** Receives each new dirtree of {@link #writeSerialized}: its checksum and normal-form bytes. */
    @FunctionalInterface
    public interface SerializedSink {
        void accept(Checksum checksum, byte[] serialized);
    }

    /**
     * Serialises every changed directory bottom-up, handing each new dirtree and its checksum to
     * {@code sink} (children before parents, so a repository can store them in that order).
     * Directories unchanged since they were loaded or last written are not handed over again.
     *
     * @return the root's dirtree and dirmeta checksums
     * @throws IllegalStateException if a directory has no dirmeta
     */
    public Dirtree.Subdir write(BiConsumer<Dirtree, Checksum> sink) {
        return writeSerialized((checksum, bytes) -> sink.accept(Dirtree.parse(bytes), checksum));
    }

    /**
     * Like {@link #write} but hands over the serialised bytes, written straight from this tree's
     * maps: no {@link Dirtree} copy and one serialisation per directory, so a directory of a
     * million names costs about its serialised size on top of the tree (what a repository stores).
     */
    public Dirtree.Subdir writeSerialized(SerializedSink sink) {
        if (meta == null) {
            throw new IllegalStateException("directory '" + path() + "' has no dirmeta");
        }
        if (cachedTree == null) {
            TreeMap<String, Dirtree.Subdir> subdirs = new TreeMap<>(FileNames.UTF8_ORDER);
            for (Map.Entry<String, MutableTree> e : dirs.entrySet()) {
                subdirs.put(e.getKey(), e.getValue().writeSerialized(sink));
            }
            byte[] bytes = DirtreeEncoder.encode(files, subdirs);
            Checksum checksum = Checksum.sha256(bytes);
            sink.accept(checksum, bytes);
            cachedTree = checksum;
        }
        return new Dirtree.Subdir(cachedTree, meta);
    }

    private void checkRoomFor(String added) {
        if ((long) files.size() + dirs.size() >= maxEntries) {
            throw new LimitExceededException("directory '" + FileNames.printable(path()) + "' has " + maxEntries
                    + " entries, the most a directory may have (StreamLimits.maxDirectoryEntries); cannot add '"
                    + FileNames.printable(added) + "'");
        }
    }

    /** The path of this directory from the root, "/" for the root. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        String p = parent.path();
        return p.equals("/") ? "/" + name : p + "/" + name;
    }

    /** Invalidates this directory's and its ancestors' dirtree checksums (a cleared one's ancestors are cleared too). */
    private void changed() {
        for (MutableTree t = this; t != null && t.cachedTree != null; t = t.parent) {
            t.cachedTree = null;
        }
    }

    private void expand() {
        if (files != null) {
            return;
        }
        Dirtree tree = loader.apply(sourceTree);
        if (tree == null) {
            throw new OstreeFormatException("dirtree " + sourceTree + " of directory '" + path() + "' is missing");
        }
        files = new TreeMap<>(FileNames.UTF8_ORDER);
        files.putAll(tree.files());
        dirs = new TreeMap<>(FileNames.UTF8_ORDER);
        for (Map.Entry<String, Dirtree.Subdir> e : tree.dirs().entrySet()) {
            MutableTree child = new MutableTree(this, e.getKey(), e.getValue().meta(), maxEntries);
            child.lazy(e.getValue().tree(), loader);
            dirs.put(e.getKey(), child);
        }
        loader = null;
    }
}
