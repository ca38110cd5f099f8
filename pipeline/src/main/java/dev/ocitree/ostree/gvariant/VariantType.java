package dev.ocitree.ostree.gvariant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed definite GVariant type: its kind, children, alignment and fixed size, as GLib's
 * {@code gvarianttypeinfo.c} computes them. Instances are immutable and cached by type string.
 */
final class VariantType {

    private static final Map<String, VariantType> CACHE = new ConcurrentHashMap<>();

    /** Kind: the basic type letter, or 'a', 'm', 'v', '(' (tuple) or '{' (dict entry). */
    final char kind;
    final String string;
    final List<VariantType> children;
    /** Alignment in bytes: 1, 2, 4 or 8. */
    final int alignment;
    /** Size in bytes of a fixed-size type, 0 for variable-size types. */
    final int fixedSize;

    private VariantType(char kind, String string, List<VariantType> children, int alignment, int fixedSize) {
        this.kind = kind;
        this.string = string;
        this.children = children;
        this.alignment = alignment;
        this.fixedSize = fixedSize;
    }

    /** Parses one complete definite type; throws {@link IllegalArgumentException} otherwise. */
    static VariantType of(String type) {
        VariantType cached = CACHE.get(type);
        if (cached != null) {
            return cached;
        }
        VariantType parsed = tryParse(type);
        if (parsed == null) {
            throw new IllegalArgumentException("not a definite GVariant type string: '" + type + "'");
        }
        if (CACHE.size() < 4096) {
            CACHE.put(type, parsed);
        }
        return parsed;
    }

    /** Parses one complete definite type, or returns null if {@code type} is not one. */
    static VariantType tryParse(String type) {
        int[] pos = {0};
        VariantType t = parse(type, pos, 0);
        return t != null && pos[0] == type.length() ? t : null;
    }

    /** D-Bus object path: {@code /} or {@code /seg(/seg)*} with segments of {@code [A-Za-z0-9_]}. */
    static boolean isObjectPath(String s) {
        return s.matches("/|(/[A-Za-z0-9_]+)+");
    }

    /**
     * A signature as GLib's {@code g_variant_is_signature} defines it: zero or more complete types
     * concatenated, using only D-Bus type characters (no maybe types).
     */
    static boolean isSignature(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("ybnqiuxthdvasog(){}".indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        int[] pos = {0};
        while (pos[0] < s.length()) {
            if (parse(s, pos, 0) == null) {
                return false;
            }
        }
        return true;
    }

    boolean isFixed() {
        return fixedSize > 0;
    }

    VariantType element() {
        return children.get(0);
    }

    @Override
    public String toString() {
        return string;
    }

    private static VariantType parse(String s, int[] pos, int depth) {
        if (pos[0] >= s.length() || depth > 64) {
            return null;
        }
        int start = pos[0];
        char c = s.charAt(pos[0]++);
        switch (c) {
            case 'y':
            case 'b':
                return basic(c, 1, 1);
            case 'n':
            case 'q':
                return basic(c, 2, 2);
            case 'i':
            case 'u':
            case 'h':
                return basic(c, 4, 4);
            case 'x':
            case 't':
            case 'd':
                return basic(c, 8, 8);
            case 's':
            case 'o':
            case 'g':
                return new VariantType(c, String.valueOf(c), List.of(), 1, 0);
            case 'v':
                return new VariantType(c, "v", List.of(), 8, 0);
            case 'a':
            case 'm': {
                VariantType e = parse(s, pos, depth + 1);
                if (e == null) {
                    return null;
                }
                return new VariantType(c, s.substring(start, pos[0]), List.of(e), e.alignment, 0);
            }
            case '(':
            case '{': {
                char close = c == '(' ? ')' : '}';
                List<VariantType> members = new ArrayList<>();
                while (pos[0] < s.length() && s.charAt(pos[0]) != close) {
                    VariantType m = parse(s, pos, depth + 1);
                    if (m == null) {
                        return null;
                    }
                    members.add(m);
                }
                if (pos[0] >= s.length()) {
                    return null;
                }
                pos[0]++;
                if (c == '{' && (members.size() != 2 || !isBasic(members.get(0)))) {
                    return null;
                }
                return tuple(c, s.substring(start, pos[0]), members);
            }
            default:
                return null;
        }
    }

    private static boolean isBasic(VariantType t) {
        return "ybnqiuhxtdsog".indexOf(t.kind) >= 0;
    }

    private static VariantType basic(char c, int alignment, int size) {
        return new VariantType(c, String.valueOf(c), List.of(), alignment, size);
    }

    /** Alignment = max of the members; fixed iff all members fixed, size rounded up to alignment. */
    private static VariantType tuple(char kind, String string, List<VariantType> members) {
        if (members.isEmpty()) {
            return new VariantType(kind, string, List.of(), 1, 1);
        }
        int alignment = 1;
        boolean fixed = true;
        int offset = 0;
        for (VariantType m : members) {
            alignment = Math.max(alignment, m.alignment);
            if (!m.isFixed()) {
                fixed = false;
            } else {
                offset = align(offset, m.alignment) + m.fixedSize;
            }
        }
        int size = fixed ? align(offset, alignment) : 0;
        return new VariantType(kind, string, List.copyOf(members), alignment, size);
    }

    static int align(int offset, int alignment) {
        return (offset + alignment - 1) & -alignment;
    }
}
