package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extended attributes of a file or directory, serialised as {@code a(ayay)}: each name as its bytes
 * plus a trailing NUL, each value as raw bytes (OSTREE-FORMAT.md §2.4). Immutable.
 *
 * <p>{@link #of(Map)} sorts by name bytes, as {@code ostree commit --tree=dir=} does, and is the
 * deterministic form ocitree writes. {@link #parse} and {@link #fromGVariant} keep the stored order,
 * because the order is hashed and ostree's tar import stores it unsorted: re-serialising a parsed
 * value always reproduces its bytes.
 */
public final class Xattrs implements Iterable<Xattrs.Entry> {

    private static final Xattrs EMPTY = new Xattrs(List.of());

    private final List<Entry> entries;

    private Xattrs(List<Entry> entries) {
        this.entries = entries;
    }

    /** One extended attribute. */
    public static final class Entry {
        private final byte[] name;
        private final byte[] value;

        Entry(byte[] name, byte[] value) {
            this.name = name;
            this.value = value;
        }

        /** The attribute name, e.g. {@code user.foo} (decoded as UTF-8). */
        public String name() {
            return new String(name, StandardCharsets.UTF_8);
        }

        /** A copy of the value bytes. */
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && Arrays.equals(name, e.name) && Arrays.equals(value, e.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(name) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return name() + "=" + Variant.bytes(value);
        }
    }

    /** No attributes. */
    public static Xattrs empty() {
        return EMPTY;
    }

    /**
     * Attributes sorted by name bytes (names must be non-empty and contain no NUL).
     *
     * @throws OstreeFormatException for an invalid name
     */
    public static Xattrs of(Map<String, byte[]> attributes) {
        if (attributes.isEmpty()) {
            return EMPTY;
        }
        List<Entry> list = new ArrayList<>(attributes.size());
        attributes.forEach((k, v) -> list.add(new Entry(checkName(k.getBytes(StandardCharsets.UTF_8), k), v.clone())));
        list.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
        for (int i = 1; i < list.size(); i++) {
            if (Arrays.equals(list.get(i - 1).name, list.get(i).name)) {
                throw new OstreeFormatException("duplicate xattr name '" + list.get(i).name() + "'");
            }
        }
        return new Xattrs(Collections.unmodifiableList(list));
    }

    /** Parses a serialised {@code a(ayay)}, keeping the stored order. */
    public static Xattrs parse(byte[] serialized) {
        return fromGVariant(Variant.parse("a(ayay)", serialized).value());
    }

    /**
     * Builds from the value tree of an {@code a(ayay)} (a list of [name-with-NUL, value] pairs),
     * keeping the order.
     *
     * @throws OstreeFormatException if a name lacks its trailing NUL, is empty, or contains a NUL
     */
    static Xattrs fromGVariant(Object value) {
        List<?> list = (List<?>) value;
        if (list.isEmpty()) {
            return EMPTY;
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (Object o : list) {
            List<?> pair = (List<?>) o;
            byte[] name = (byte[]) pair.get(0);
            if (name.length < 2 || name[name.length - 1] != 0) {
                throw new OstreeFormatException("invalid xattr name " + Variant.bytes(name)
                        + ": must be non-empty and NUL-terminated");
            }
            byte[] bare = Arrays.copyOf(name, name.length - 1);
            entries.add(new Entry(checkName(bare, null), (byte[]) pair.get(1)));
        }
        return new Xattrs(Collections.unmodifiableList(entries));
    }

    private static byte[] checkName(byte[] name, String display) {
        if (name.length == 0) {
            throw new OstreeFormatException("invalid xattr name: empty");
        }
        for (byte b : name) {
            if (b == 0) {
                throw new OstreeFormatException("invalid xattr name '"
                        + (display != null ? display : new String(name, StandardCharsets.UTF_8)).replace("\0", "\\0")
                        + "': contains NUL");
            }
        }
        return name;
    }

    /** The value tree of the {@code a(ayay)} (see {@link Variant}). */
    List<Object> toGVariant() {
        List<Object> list = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            byte[] name = Arrays.copyOf(e.name, e.name.length + 1);
            list.add(List.of(name, e.value));
        }
        return list;
    }

    /** Normal-form {@code a(ayay)} bytes. */
    public byte[] serialize() {
        return Variant.of("a(ayay)", toGVariant()).serialize();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The value of {@code name} (a copy), or null. */
    public byte[] get(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (Entry e : entries) {
            if (Arrays.equals(e.name, n)) {
                return e.value.clone();
            }
        }
        return null;
    }

    /** Whether the entries are in the sorted order {@link #of} produces. */
    public boolean isSorted() {
        for (int i = 1; i < entries.size(); i++) {
            if (Arrays.compareUnsigned(entries.get(i - 1).name, entries.get(i).name) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The attributes as an ordered map (copies of the values). */
    public Map<String, byte[]> toMap() {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.put(e.name(), e.value.clone());
        }
        return map;
    }

    @Override
    public Iterator<Entry> iterator() {
        return entries.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattrs x && entries.equals(x.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
