package dev.ocitree.ostree.gvariant;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes a value tree in GVariant normal form (OSTREE-FORMAT.md §1.11). The value tree must already
 * match its type (see {@link Variant}); positions are absolute in the output, whose start is
 * 8-aligned, so absolute alignment equals container-relative alignment.
 */
final class Serializer {

    private byte[] buf;
    private int pos;

    Serializer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    static byte[] serialize(VariantType type, Object value) {
        Serializer s = new Serializer(64);
        s.write(type, value);
        return s.toByteArray();
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Smallest framing-offset width w with {@code body + n·w ≤ 2^(8w) − 1} (GLib's writer rule). */
    static int offsetWidth(long body, int n) {
        if (body + n <= 0xFFL) {
            return 1;
        }
        if (body + 2L * n <= 0xFFFFL) {
            return 2;
        }
        if (body + 4L * n <= 0xFFFFFFFFL) {
            return 4;
        }
        return 8;
    }

    void write(VariantType t, Object v) {
        switch (t.kind) {
            case 'y' -> put((Byte) v);
            case 'b' -> put((Boolean) v ? 1 : 0);
            case 'n', 'q' -> putLE((Short) v, 2);
            case 'i', 'u', 'h' -> putLE((Integer) v, 4);
            case 'x', 't' -> putLE((Long) v, 8);
            case 'd' -> putLE(Double.doubleToRawLongBits((Double) v), 8);
            case 's', 'o', 'g' -> {
                put(((String) v).getBytes(StandardCharsets.UTF_8));
                put(0);
            }
            case 'v' -> {
                Variant child = (Variant) v;
                write(child.variantType(), child.value());
                put(0);
                put(child.type().getBytes(StandardCharsets.US_ASCII));
            }
            case 'm' -> {
                Optional<?> o = (Optional<?>) v;
                if (o.isPresent()) {
                    write(t.element(), o.get());
                    if (!t.element().isFixed()) {
                        put(0);
                    }
                }
            }
            case 'a' -> writeArray(t.element(), v);
            default -> writeTuple(t, (List<?>) v);
        }
    }

    private void writeArray(VariantType element, Object v) {
        if (element.kind == 'y') {
            put((byte[]) v);
            return;
        }
        List<?> list = (List<?>) v;
        if (element.isFixed()) {
            for (Object e : list) {
                write(element, e);
            }
            return;
        }
        int start = pos;
        long[] ends = new long[list.size()];
        for (int i = 0; i < ends.length; i++) {
            pad(element.alignment);
            write(element, list.get(i));
            ends[i] = pos - start;
        }
        int w = offsetWidth(pos - start, ends.length);
        for (long end : ends) {
            putLE(end, w);
        }
    }

    private void writeTuple(VariantType t, List<?> members) {
        int start = pos;
        int last = t.children.size() - 1;
        long[] ends = new long[t.children.size()];
        int n = 0;
        for (int i = 0; i <= last; i++) {
            VariantType m = t.children.get(i);
            pad(m.alignment);
            write(m, members.get(i));
            if (!m.isFixed() && i < last) {
                ends[n++] = pos - start;
            }
        }
        if (t.isFixed()) {
            while (pos - start < t.fixedSize) {
                put(0);
            }
            return;
        }
        int w = offsetWidth(pos - start, n);
        for (int i = n - 1; i >= 0; i--) {
            putLE(ends[i], w);
        }
    }

    private void pad(int alignment) {
        while ((pos & (alignment - 1)) != 0) {
            put(0);
        }
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    private void put(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void putLE(long value, int width) {
        ensure(width);
        for (int i = 0; i < width; i++) {
            buf[pos++] = (byte) (value >>> (8 * i));
        }
    }
}
