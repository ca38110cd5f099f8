package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A deterministic POSIX (pax) tar writer, as a stage {@code Function<Flux<TarMember>, Flux<ByteBuf>>}:
 * the same members give the same bytes.
 *
 * <ul>
 *   <li>Each entry is a ustar header; a pax extended header ({@code x}) precedes it when a value
 *       does not fit ustar: a path or link target longer than 100 bytes or not ASCII, uid/gid or
 *       size too large for their octal fields, and every extended attribute, as
 *       {@code SCHILY.xattr.NAME=<raw value>} records sorted by name (GNU tar's and libarchive's
 *       form; libarchive's duplicate {@code LIBARCHIVE.xattr.*} records are not written). The pax
 *       header is named {@code PaxHeaders/<last 89 bytes of the path>} and has mode 0644, uid 0,
 *       the entry's mtime.</li>
 *   <li>User and group names are empty; the mtime is the entry's (the caller picks one for all
 *       entries); no atime or ctime records.</li>
 *   <li>The archive ends with two zero blocks and is not padded further.</li>
 * </ul>
 *
 * <p>Buffers: headers, padding and the end blocks are new heap buffers; the members' content chunks
 * are passed on as they are. The subscriber owns and releases every emitted chunk; chunks dropped
 * on cancel or error are released here. A member whose content is longer or shorter than its
 * header's size fails the stream with {@link TarFormatException}.
 */
public final class TarWriter {

    static final int BLOCK = 512;
    private static final byte[] END = new byte[2 * BLOCK];

    private TarWriter() {
    }

    /** The stage: members in, tar bytes out. */
    public static Function<Flux<TarMember>, Flux<ByteBuf>> write() {
        return members -> Flux.defer(() -> {
            long[] offset = {0};
            return members.concatMap(m -> member(m, offset), 1)
                    .concatWith(Mono.fromCallable(() -> Unpooled.wrappedBuffer(END)))
                    .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
        });
    }

    private static Flux<ByteBuf> member(TarMember m, long[] offset) {
        TarEntry e = m.entry();
        long size = e.type() == TarEntryType.REGULAR ? e.size() : 0;
        return Flux.defer(() -> {
            long start = offset[0];
            byte[] header = headers(e);
            offset[0] += header.length + size + padding(size);
            long[] seen = {0};
            Flux<ByteBuf> content = m.content().handle((chunk, sink) -> {
                seen[0] += chunk.readableBytes();
                if (seen[0] > size) {
                    chunk.release();
                    sink.error(new TarFormatException(e.path(), start, "content longer than the header's size " + size));
                } else {
                    sink.next(chunk);
                }
            });
            Mono<ByteBuf> tail = Mono.defer(() -> seen[0] != size
                    ? Mono.error(new TarFormatException(e.path(), start,
                            "content of " + seen[0] + " bytes, the header says " + size))
                    : padding(size) == 0 ? Mono.empty() : Mono.just(Unpooled.wrappedBuffer(new byte[padding(size)])));
            return Flux.concat(Mono.just(Unpooled.wrappedBuffer(header)), content, tail);
        });
    }

    static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    /** The pax header (when needed) and the ustar header of an entry. */
    static byte[] headers(TarEntry e) {
        String name = switch (e.type()) {
            case DIRECTORY -> e.path().equals(".") || e.path().isEmpty() ? "./" : e.path() + "/";
            case REGULAR, SYMLINK, HARDLINK -> e.path();
            default -> throw new TarFormatException(e.path(), 0, "cannot write a " + e.type() + " entry");
        };
        long size = e.type() == TarEntryType.REGULAR ? e.size() : 0;
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        String link = e.linkTarget() == null ? "" : e.linkTarget();
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        PaxBuilder pax = new PaxBuilder();
        if (nameBytes.length > 100 || !isAscii(nameBytes)) {
            pax.add("path", nameBytes);
        }
        if (linkBytes.length > 100 || !isAscii(linkBytes)) {
            pax.add("linkpath", linkBytes);
        }
        if (size > 077777777777L) {
            pax.add("size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.uid() < 0 || e.uid() > 07777777) {
            pax.add("uid", Long.toString(e.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.gid() < 0 || e.gid() > 07777777) {
            pax.add("gid", Long.toString(e.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            pax.add("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        long mtime = Math.max(0, Math.min(e.mtimeSeconds(), 077777777777L));
        byte[] main = ustar(truncate(nameBytes, 100), e.mode() & 07777, clampId(e.uid()), clampId(e.gid()),
                size > 077777777777L ? 0 : size, mtime, typeFlag(e.type()), truncate(linkBytes, 100));
        if (pax.isEmpty()) {
            return main;
        }
        byte[] records = pax.bytes();
        byte[] paxName = ("PaxHeaders/" + new String(tail(nameBytes, 89), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] paxHeader = ustar(paxName, 0644, 0, 0, records.length, mtime, (byte) 'x', new byte[0]);
        byte[] out = new byte[BLOCK + records.length + padding(records.length) + BLOCK];
        System.arraycopy(paxHeader, 0, out, 0, BLOCK);
        System.arraycopy(records, 0, out, BLOCK, records.length);
        System.arraycopy(main, 0, out, out.length - BLOCK, BLOCK);
        return out;
    }

    private static byte typeFlag(TarEntryType type) {
        return switch (type) {
            case REGULAR -> (byte) '0';
            case HARDLINK -> (byte) '1';
            case SYMLINK -> (byte) '2';
            case DIRECTORY -> (byte) '5';
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    private static long clampId(long id) {
        return id < 0 || id > 07777777 ? 0 : id;
    }

    private static byte[] ustar(byte[] name, int mode, long uid, long gid, long size, long mtime, byte type, byte[] link) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = type;
        System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** Zero-padded octal in {@code width - 1} digits and a NUL. */
    private static void octal(byte[] h, int at, int width, long value) {
        String s = Long.toOctalString(value);
        int digits = width - 1;
        for (int i = 0; i < digits; i++) {
            int from = i - (digits - s.length());
            h[at + i] = (byte) (from < 0 ? '0' : s.charAt(from));
        }
        h[at + digits] = 0;
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** At most {@code max} bytes, not cutting a UTF-8 sequence. */
    private static byte[] truncate(byte[] b, int max) {
        if (b.length <= max) {
            return b;
        }
        int n = max;
        while (n > 0 && (b[n] & 0xc0) == 0x80) {
            n--;
        }
        byte[] out = new byte[n];
        System.arraycopy(b, 0, out, 0, n);
        return out;
    }

    /** The last {@code max} bytes of a name with anything but printable ASCII (and '/') replaced by '_'. */
    private static byte[] tail(byte[] b, int max) {
        int from = Math.max(0, b.length - max);
        byte[] out = new byte[b.length - from];
        for (int i = 0; i < out.length; i++) {
            byte x = b[from + i];
            out[i] = x < 0x20 || x >= 0x7f ? (byte) '_' : x;
        }
        return out;
    }

    /** Pax records {@code "<len> <key>=<value>\n"}, the length counting itself. */
    private static final class PaxBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void add(String key, byte[] value) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            int body = 1 + k.length + 1 + value.length + 1;
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) {
                len++;
            }
            out.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(k);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        }

        boolean isEmpty() {
            return out.size() == 0;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
