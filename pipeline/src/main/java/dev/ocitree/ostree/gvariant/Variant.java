package dev.ocitree.ostree.gvariant;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable GVariant value: a definite type string plus a value tree, serialised in normal form.
 *
 * <p>Value tree per type (what {@link #of} accepts and {@link #value()} returns):
 * <ul>
 *   <li>{@code y} {@link Byte}, {@code b} {@link Boolean}, {@code n q} {@link Short},
 *       {@code i u h} {@link Integer}, {@code x t} {@link Long}, {@code d} {@link Double}
 *       (unsigned types keep their bits in the signed Java type);</li>
 *   <li>{@code s o g} {@link String};</li>
 *   <li>{@code v} a nested {@link Variant};</li>
 *   <li>{@code ay} {@code byte[]}; any other array a {@link List} of element values;</li>
 *   <li>{@code m*} an {@link Optional};</li>
 *   <li>tuples and dict entries a {@link List} of member values.</li>
 * </ul>
 * Integers are serialised in GVariant's host order, little-endian. OSTree's own big-endian fields
 * (uid, gid, mode, timestamps) are stored pre-swapped, exactly as OSTree does with
 * {@code GUINT32_TO_BE}: pass {@code Integer.reverseBytes(value)}.
 *
 * <p>{@link #parse} accepts only normal-form input and throws {@link GVariantException} otherwise;
 * so {@code parse(t, bytes).serialize()} always equals {@code bytes}.
 */
public final class Variant {

    private final VariantType type;
    private final Object value;

    Variant(VariantType type, Object value) {
        this.type = type;
        this.value = value;
    }

    /**
     * A value of the given definite type; the value tree is checked against the type and copied.
     *
     * @throws IllegalArgumentException if {@code type} is not a definite type or the value does
     *     not match it
     */
    public static Variant of(String type, Object value) {
        VariantType t = VariantType.of(type);
        return new Variant(t, copyChecked(t, value));
    }

    /** Parses normal-form bytes of the given type. */
    public static Variant parse(String type, byte[] data) {
        return parse(type, data, 0, data.length);
    }

    /**
     * Parses normal-form bytes {@code data[offset, offset + length)} of the given type; alignment
     * is relative to {@code offset}.
     *
     * @throws GVariantException if the data is truncated or not in normal form
     */
    public static Variant parse(String type, byte[] data, int offset, int length) {
        VariantType t = VariantType.of(type);
        return new Variant(t, Parser.parse(t, data, offset, length));
    }

    /** {@code s}. */
    public static Variant string(String s) {
        return of("s", s);
    }

    /** {@code u}, little-endian (host order) as GLib writes user metadata. */
    public static Variant uint32(long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("uint32 out of range: " + v);
        }
        return new Variant(VariantType.of("u"), (int) v);
    }

    /** {@code i}. */
    public static Variant int32(int v) {
        return new Variant(VariantType.of("i"), v);
    }

    /** {@code t} (bits of an unsigned 64-bit integer). */
    public static Variant uint64(long v) {
        return new Variant(VariantType.of("t"), v);
    }

    /** {@code x}. */
    public static Variant int64(long v) {
        return new Variant(VariantType.of("x"), v);
    }

    /** {@code b}. */
    public static Variant bool(boolean v) {
        return new Variant(VariantType.of("b"), v);
    }

    /** {@code ay}. */
    public static Variant bytes(byte[] v) {
        return new Variant(VariantType.of("ay"), v.clone());
    }

    /** {@code as}. */
    public static Variant strings(List<String> v) {
        return of("as", v);
    }

    /** {@code v}: a variant holding {@code inner}. */
    public static Variant variant(Variant inner) {
        return new Variant(VariantType.of("v"), Objects.requireNonNull(inner, "inner"));
    }

    /** {@code a{sv}} with the entries in the map's iteration order (GVariant dicts are not sorted). */
    public static Variant dict(Map<String, Variant> entries) {
        List<Object> list = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> list.add(List.of(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value"))));
        return new Variant(VariantType.of("a{sv}"), Collections.unmodifiableList(list));
    }

    /** The type string, e.g. {@code "a{sv}"}. */
    public String type() {
        return type.string;
    }

    VariantType variantType() {
        return type;
    }

    /** The value tree (see the class comment); {@code byte[]} values are copies. */
    public Object value() {
        return value instanceof byte[] b ? b.clone() : value;
    }

    /** Normal-form serialisation. */
    public byte[] serialize() {
        return Serializer.serialize(type, value);
    }

    /** The string of an {@code s}, {@code o} or {@code g} value. */
    public String asString() {
        return (String) expect("s", "o", "g");
    }

    /** The unsigned value of a {@code y}, {@code q} or {@code u}, or the value of {@code n} or {@code i}. */
    public long asLong() {
        return switch (type.kind) {
            case 'y' -> ((Byte) value) & 0xFFL;
            case 'q' -> ((Short) value) & 0xFFFFL;
            case 'u' -> ((Integer) value) & 0xFFFFFFFFL;
            case 'n' -> (Short) value;
            case 'i', 'h' -> (Integer) value;
            case 'x', 't' -> (Long) value;
            default -> throw new IllegalStateException("not an integer: " + this);
        };
    }

    /** The value of a {@code b}. */
    public boolean asBoolean() {
        return (Boolean) expect("b");
    }

    /** A copy of the bytes of an {@code ay}. */
    public byte[] asBytes() {
        return ((byte[]) expect("ay")).clone();
    }

    /** The strings of an {@code as}. */
    @SuppressWarnings("unchecked")
    public List<String> asStrings() {
        return (List<String>) expect("as");
    }

    /** The inner value of a {@code v}. */
    public Variant asVariant() {
        return (Variant) expect("v");
    }

    /**
     * The entries of an {@code a{sv}} in stored order.
     *
     * @throws IllegalStateException if a key occurs twice (a map cannot represent that)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Variant> asDict() {
        List<List<Object>> entries = (List<List<Object>>) expect("a{sv}");
        Map<String, Variant> map = new LinkedHashMap<>();
        for (List<Object> e : entries) {
            if (map.put((String) e.get(0), (Variant) e.get(1)) != null) {
                throw new IllegalStateException("duplicate key '" + e.get(0) + "' in a{sv}");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private Object expect(String... types) {
        for (String t : types) {
            if (t.equals(type.string)) {
                return value;
            }
        }
        throw new IllegalStateException("expected a value of type " + String.join("/", types) + " but got " + this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Variant other && type.string.equals(other.type.string)
                && Arrays.equals(serialize(), other.serialize());
    }

    @Override
    public int hashCode() {
        return type.string.hashCode() * 31 + Arrays.hashCode(serialize());
    }

    /** A GVariant-text-like rendering, for messages and debugging. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendText(sb, type, value);
        return sb.toString();
    }

    private static void appendText(StringBuilder sb, VariantType t, Object v) {
        switch (t.kind) {
            case 's', 'o', 'g' -> sb.append('\'').append(((String) v).replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            case 'v' -> {
                Variant inner = (Variant) v;
                sb.append('<');
                appendText(sb, inner.type, inner.value);
                sb.append('>');
            }
            case 'm' -> {
                Optional<?> o = (Optional<?>) v;
                if (o.isPresent()) {
                    appendText(sb, t.element(), o.get());
                } else {
                    sb.append("nothing");
                }
            }
            case 'a' -> {
                if (v instanceof byte[] bytes) {
                    sb.append("0x");
                    for (byte b : bytes) {
                        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                    }
                    return;
                }
                boolean dict = t.element().kind == '{';
                sb.append(dict ? '{' : '[');
                List<?> list = (List<?>) v;
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    appendText(sb, t.element(), list.get(i));
                }
                sb.append(dict ? '}' : ']');
            }
            case '(' -> appendMembers(sb, t, (List<?>) v, "(", ", ", ")");
            case '{' -> appendMembers(sb, t, (List<?>) v, "", ": ", "");
            case 'y' -> sb.append("0x").append(Integer.toHexString(((Byte) v) & 0xFF));
            case 'q' -> sb.append(((Short) v) & 0xFFFF);
            case 'u' -> sb.append(((Integer) v) & 0xFFFFFFFFL);
            case 't' -> sb.append(Long.toUnsignedString((Long) v));
            default -> sb.append(v);
        }
    }

    private static void appendMembers(StringBuilder sb, VariantType t, List<?> members, String open, String sep, String close) {
        sb.append(open);
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            appendText(sb, t.children.get(i), members.get(i));
        }
        sb.append(close);
    }

    /** Checks {@code v} against {@code t} and returns an immutable copy. */
    private static Object copyChecked(VariantType t, Object v) {
        if (v == null) {
            throw new IllegalArgumentException("null value for GVariant type " + t);
        }
        Class<?> expected = switch (t.kind) {
            case 'y' -> Byte.class;
            case 'b' -> Boolean.class;
            case 'n', 'q' -> Short.class;
            case 'i', 'u', 'h' -> Integer.class;
            case 'x', 't' -> Long.class;
            case 'd' -> Double.class;
            case 's', 'o', 'g' -> String.class;
            case 'v' -> Variant.class;
            case 'm' -> Optional.class;
            case 'a' -> t.element().kind == 'y' ? byte[].class : List.class;
            default -> List.class;
        };
        if (!expected.isInstance(v)) {
            throw new IllegalArgumentException("value of GVariant type " + t + " must be a " + expected.getSimpleName()
                    + ", got " + v.getClass().getSimpleName());
        }
        switch (t.kind) {
            case 's', 'o', 'g' -> {
                String s = (String) v;
                if (s.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("GVariant string contains a NUL character");
                }
                if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
                    throw new IllegalArgumentException("GVariant string is not valid Unicode (unpaired surrogate)");
                }
                if (t.kind == 'o' && !VariantType.isObjectPath(s) || t.kind == 'g' && !VariantType.isSignature(s)) {
                    throw new IllegalArgumentException("'" + s + "' is not a valid value of GVariant type " + t);
                }
                return v;
            }
            case 'm' -> {
                Optional<?> o = (Optional<?>) v;
                return o.isPresent() ? Optional.of(copyChecked(t.element(), o.get())) : o;
            }
            case 'a' -> {
                if (v instanceof byte[] b) {
                    return b.clone();
                }
                List<?> list = (List<?>) v;
                List<Object> copy = new ArrayList<>(list.size());
                for (Object e : list) {
                    copy.add(copyChecked(t.element(), e));
                }
                return Collections.unmodifiableList(copy);
            }
            case '(', '{' -> {
                List<?> list = (List<?>) v;
                if (list.size() != t.children.size()) {
                    throw new IllegalArgumentException("tuple type " + t + " needs " + t.children.size()
                            + " members, got " + list.size());
                }
                List<Object> copy = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(copyChecked(t.children.get(i), list.get(i)));
                }
                return Collections.unmodifiableList(copy);
            }
            default -> {
                return v;
            }
        }
    }

}
