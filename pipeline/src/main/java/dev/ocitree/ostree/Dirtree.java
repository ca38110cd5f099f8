package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A directory listing object {@code (a(say)a(sayay))} (OSTREE-FORMAT.md §2.6): files and symlinks
 * with their content checksums, subdirectories with their dirtree and dirmeta checksums. Both maps
 * are sorted by the names' UTF-8 bytes (ostree's {@code strcmp} order, which its lookups rely on).
 * A name appears in at most one of the two maps.
 *
 * @param files file name → content object checksum
 * @param dirs directory name → (dirtree, dirmeta)
 */
public record Dirtree(SortedMap<String, Checksum> files, SortedMap<String, Subdir> dirs) {

    private static final String TYPE = "(a(say)a(sayay))";

    /** A subdirectory entry: its dirtree and dirmeta checksums. */
    public record Subdir(Checksum tree, Checksum meta) {
        public Subdir {
            if (tree == null || meta == null) {
                throw new NullPointerException("tree and meta checksums are required");
            }
        }
    }

    /**
     * Copies both maps into immutable maps sorted by UTF-8 bytes.
     *
     * @throws OstreeFormatException for an invalid name or a name that is both a file and a dir
     */
    public Dirtree {
        files = sortedCopy(files);
        dirs = sortedCopy(dirs);
        for (String name : files.keySet()) {
            if (dirs.containsKey(name)) {
                throw new OstreeFormatException("dirtree name '" + name + "' is both a file and a directory");
            }
        }
    }

    /** A dirtree with no entries. */
    public static Dirtree empty() {
        return new Dirtree(new TreeMap<>(), new TreeMap<>());
    }

    private static <V> SortedMap<String, V> sortedCopy(Map<String, V> in) {
        TreeMap<String, V> out = new TreeMap<>(FileNames.UTF8_ORDER);
        if (in != null) {
            in.forEach((k, v) -> {
                if (v == null) {
                    throw new NullPointerException("no checksum for dirtree entry '" + k + "'");
                }
                out.put(FileNames.validate(k), v);
            });
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** Normal-form bytes, as stored in {@code .dirtree} (written directly, see {@code DirtreeEncoder}). */
    public byte[] serialize() {
        return DirtreeEncoder.encode(files, dirs);
    }

    /** SHA-256 of {@link #serialize()}. */
    public Checksum checksum() {
        return Checksum.sha256(serialize());
    }

    /**
     * Parses a {@code .dirtree} object.
     *
     * @throws GVariantException if the bytes are truncated or not in normal form
     * @throws OstreeFormatException for an invalid name, a checksum that is not 32 bytes, or names
     *     that are not strictly sorted (ostree's lookups would fail on them)
     */
    public static Dirtree parse(byte[] serialized) {
        List<?> v = (List<?>) Variant.parse(TYPE, serialized).value();
        TreeMap<String, Checksum> files = new TreeMap<>(FileNames.UTF8_ORDER);
        String prev = null;
        for (Object o : (List<?>) v.get(0)) {
            List<?> e = (List<?>) o;
            String name = checkOrder(prev, (String) e.get(0), "file");
            files.put(name, checksumIn(e.get(1), name));
            prev = name;
        }
        TreeMap<String, Subdir> dirs = new TreeMap<>(FileNames.UTF8_ORDER);
        prev = null;
        for (Object o : (List<?>) v.get(1)) {
            List<?> e = (List<?>) o;
            String name = checkOrder(prev, (String) e.get(0), "directory");
            dirs.put(name, new Subdir(checksumIn(e.get(1), name), checksumIn(e.get(2), name)));
            prev = name;
        }
        return new Dirtree(files, dirs);
    }

    private static String checkOrder(String prev, String name, String kind) {
        try {
            FileNames.validate(name);
        } catch (OstreeFormatException e) {
            throw new OstreeFormatException("invalid dirtree: " + e.getMessage(), e);
        }
        if (prev != null && FileNames.compareUtf8(prev, name) >= 0) {
            throw new OstreeFormatException("invalid dirtree: " + kind + " names '" + prev + "' and '" + name
                    + "' are not in strictly ascending byte order");
        }
        return name;
    }

    private static Checksum checksumIn(Object bytes, String name) {
        byte[] b = (byte[]) bytes;
        if (b.length != 32) {
            throw new OstreeFormatException("invalid dirtree: checksum of '" + name + "' has " + b.length
                    + " bytes, not 32");
        }
        return Checksum.of(b);
    }
}
