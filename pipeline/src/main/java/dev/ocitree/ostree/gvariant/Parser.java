package dev.ocitree.ostree.gvariant;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads normal-form GVariant data into the value tree of {@link Variant}, validating as GLib's
 * {@code g_variant_is_normal_form} does: exact sizes of fixed types, framing offsets in range, in
 * order and of the minimal width, zero padding, 0/1 booleans, NUL-terminated valid UTF-8 strings,
 * valid variant type strings. Offsets in errors are relative to {@code base}.
 */
final class Parser {

    /** GLib's G_VARIANT_MAX_RECURSION_DEPTH. */
    private static final int MAX_DEPTH = 128;

    private final byte[] data;
    private final int base;

    private Parser(byte[] data, int base) {
        this.data = data;
        this.base = base;
    }

    static Object parse(VariantType type, byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + data.length);
        }
        Parser p = new Parser(data, offset);
        Object value = p.read(type, offset, offset + length, 0);
        // Belt and braces: the checks above are meant to make this always hold.
        byte[] again = Serializer.serialize(type, value);
        if (again.length != length || !Arrays.equals(again, 0, length, data, offset, offset + length)) {
            int at = Arrays.mismatch(again, 0, again.length, data, offset, offset + length);
            throw new GVariantException(type.string, at, "not in normal form");
        }
        return value;
    }

    private GVariantException error(VariantType t, int at, String reason) {
        return new GVariantException(t.string, at - base, reason);
    }

    private Object read(VariantType t, int start, int end, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(t, start, "nested deeper than " + MAX_DEPTH + " levels");
        }
        int size = end - start;
        if (t.isFixed() && size != t.fixedSize) {
            throw error(t, start, "fixed-size value needs " + t.fixedSize + " bytes but has " + size
                    + (size < t.fixedSize ? " (truncated)" : ""));
        }
        switch (t.kind) {
            case 'y':
                return data[start];
            case 'b':
                if (data[start] != 0 && data[start] != 1) {
                    throw error(t, start, "boolean byte is 0x" + Integer.toHexString(data[start] & 0xFF) + ", not 0 or 1");
                }
                return data[start] == 1;
            case 'n':
            case 'q':
                return (short) readLE(start, 2);
            case 'i':
            case 'u':
            case 'h':
                return (int) readLE(start, 4);
            case 'x':
            case 't':
                return readLE(start, 8);
            case 'd':
                return Double.longBitsToDouble(readLE(start, 8));
            case 's':
            case 'o':
            case 'g':
                return readString(t, start, end);
            case 'v':
                return readVariant(t, start, end, depth);
            case 'm':
                return readMaybe(t, start, end, depth);
            case 'a':
                return readArray(t, start, end, depth);
            default:
                return readTuple(t, start, end, depth);
        }
    }

    private String readString(VariantType t, int start, int end) {
        if (end == start) {
            throw error(t, start, "empty string data (missing NUL terminator; truncated)");
        }
        if (data[end - 1] != 0) {
            throw error(t, end - 1, "string is not NUL-terminated");
        }
        boolean ascii = true;
        for (int i = start; i < end - 1; i++) {
            if (data[i] == 0) {
                throw error(t, i, "string contains an interior NUL");
            }
            ascii &= data[i] > 0;
        }
        try {
            String s = ascii ? new String(data, start, end - 1 - start, StandardCharsets.ISO_8859_1)
                    : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, start, end - 1 - start))
                    .toString();
            if (t.kind == 'o' && !VariantType.isObjectPath(s)) {
                throw error(t, start, "'" + s + "' is not a valid D-Bus object path");
            }
            if (t.kind == 'g' && !VariantType.isSignature(s)) {
                throw error(t, start, "'" + s + "' is not a valid signature");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw error(t, start, "string is not valid UTF-8");
        }
    }

    private Variant readVariant(VariantType t, int start, int end, int depth) {
        int sep = end - 1;
        while (sep >= start && data[sep] != 0) {
            sep--;
        }
        if (sep < start) {
            throw error(t, start, "variant has no NUL before its type string (truncated)");
        }
        String typeString = new String(data, sep + 1, end - sep - 1, StandardCharsets.ISO_8859_1);
        VariantType childType = VariantType.tryParse(typeString);
        if (childType == null) {
            throw error(t, sep + 1, "variant type string '" + typeString + "' is not one definite type");
        }
        Object child = read(childType, start, sep, depth + 1);
        return new Variant(childType, child);
    }

    private Optional<Object> readMaybe(VariantType t, int start, int end, int depth) {
        if (start == end) {
            return Optional.empty();
        }
        VariantType e = t.element();
        if (e.isFixed()) {
            if (end - start != e.fixedSize) {
                throw error(t, start, "maybe of a fixed-size type has " + (end - start) + " bytes, not 0 or " + e.fixedSize);
            }
            return Optional.of(read(e, start, end, depth + 1));
        }
        if (data[end - 1] != 0) {
            throw error(t, end - 1, "maybe of a variable-size type must end with a 00 byte");
        }
        return Optional.of(read(e, start, end - 1, depth + 1));
    }

    private Object readArray(VariantType t, int start, int end, int depth) {
        VariantType e = t.element();
        int size = end - start;
        if (e.kind == 'y') {
            return Arrays.copyOfRange(data, start, end);
        }
        if (size == 0) {
            return List.of();
        }
        if (e.isFixed()) {
            if (size % e.fixedSize != 0) {
                throw error(t, start, "array of fixed-size elements has " + size + " bytes, not a multiple of " + e.fixedSize);
            }
            List<Object> list = new ArrayList<>(size / e.fixedSize);
            for (int p = start; p < end; p += e.fixedSize) {
                list.add(read(e, p, p + e.fixedSize, depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        int w = offsetSizeFor(size);
        long lastEnd = readLE(end - w, w);
        if (lastEnd > size - w) {
            throw error(t, end - w, "last framing offset " + lastEnd + " points beyond the array body (size " + size + ")");
        }
        long tableLength = size - lastEnd;
        if (tableLength % w != 0) {
            throw error(t, start + (int) lastEnd, "framing offset table of " + tableLength + " bytes is not a multiple of " + w);
        }
        int n = (int) (tableLength / w);
        if (Serializer.offsetWidth(lastEnd, n) != w) {
            throw error(t, start + (int) lastEnd, "framing offsets are " + w + " bytes wide; normal form uses "
                    + Serializer.offsetWidth(lastEnd, n));
        }
        List<Object> list = new ArrayList<>(n);
        int prev = 0;
        for (int i = 0; i < n; i++) {
            int at = start + (int) lastEnd + i * w;
            long o = readLE(at, w);
            int childStart = VariantType.align(prev, e.alignment);
            if (o < childStart || o > lastEnd) {
                throw error(t, at, "framing offset " + o + " of element " + i + " is out of order or out of range");
            }
            checkPadding(t, start + prev, start + childStart);
            list.add(read(e, start + childStart, start + (int) o, depth + 1));
            prev = (int) o;
        }
        return Collections.unmodifiableList(list);
    }

    private List<Object> readTuple(VariantType t, int start, int end, int depth) {
        int size = end - start;
        List<VariantType> members = t.children;
        int last = members.size() - 1;
        int offsets = 0;
        for (int i = 0; i < last; i++) {
            if (!members.get(i).isFixed()) {
                offsets++;
            }
        }
        int w = 0;
        int bodyEnd = size;
        if (!t.isFixed() && offsets > 0) {
            w = offsetSizeFor(size);
            if ((long) offsets * w > size) {
                throw error(t, start, "too short (" + size + " bytes) for its " + offsets + " framing offsets (truncated)");
            }
            bodyEnd = size - offsets * w;
            if (Serializer.offsetWidth(bodyEnd, offsets) != w) {
                throw error(t, start + bodyEnd, "framing offsets are " + w + " bytes wide; normal form uses "
                        + Serializer.offsetWidth(bodyEnd, offsets));
            }
        }
        List<Object> values = new ArrayList<>(members.size());
        int pos = 0;
        int k = 0;
        for (int i = 0; i <= last; i++) {
            VariantType m = members.get(i);
            int childStart = VariantType.align(pos, m.alignment);
            long childEnd;
            int offsetAt = start;
            if (m.isFixed()) {
                childEnd = (long) childStart + m.fixedSize;
            } else if (i == last) {
                childEnd = bodyEnd;
            } else {
                offsetAt = end - (k + 1) * w;
                childEnd = readLE(offsetAt, w);
                k++;
            }
            if (childStart > bodyEnd || childEnd > bodyEnd) {
                throw error(t, start + Math.min(childStart, bodyEnd), "member " + i + " (" + m + ") extends beyond the "
                        + "tuple body of " + bodyEnd + " bytes (truncated or bad framing offset)");
            }
            if (childEnd < childStart) {
                throw error(t, offsetAt, "framing offset " + childEnd + " of member " + i + " (" + m
                        + ") is before its start " + childStart);
            }
            checkPadding(t, start + pos, start + childStart);
            values.add(read(m, start + childStart, start + (int) childEnd, depth + 1));
            pos = (int) childEnd;
        }
        if (t.isFixed()) {
            checkPadding(t, start + pos, end);
        } else if (pos != bodyEnd) {
            throw error(t, start + pos, (bodyEnd - pos) + " unexpected trailing byte(s) after the last member");
        }
        return Collections.unmodifiableList(values);
    }

    private void checkPadding(VariantType t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                throw error(t, i, "non-zero padding byte 0x" + Integer.toHexString(data[i] & 0xFF));
            }
        }
    }

    /** GLib's reader rule: the offset width follows from the container's total size. */
    static int offsetSizeFor(long size) {
        if (size == 0) {
            return 0;
        }
        if (size <= 0xFFL) {
            return 1;
        }
        if (size <= 0xFFFFL) {
            return 2;
        }
        if (size <= 0xFFFFFFFFL) {
            return 4;
        }
        return 8;
    }

    private long readLE(int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (data[at + i] & 0xFF);
        }
        return v;
    }
}
