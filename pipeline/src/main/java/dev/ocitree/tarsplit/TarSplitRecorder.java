package dev.ocitree.tarsplit;

import com.github.luben.zstd.ZstdOutputStream;
import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarFraming;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a layer tar's framing as the tar parser reports it ({@link TarFraming}) into a
 * zstd-compressed record held in memory (in 64 KiB arrays): the framing bytes are copied (headers
 * are already copied by the parser; file bodies never are), compressed as they come in 64 KiB runs.
 *
 * <p>Record format (inside one zstd frame): the magic {@code "OCITSPL1"}, then operations —
 * {@code 'R'} varint length, that many raw bytes (at most 64 KiB); {@code 'B'} varint length, the
 * entry's path as written in the tar (UTF-8), varint size: a file body, found again by path in the
 * layer commit; {@code 'E'}: the end.
 *
 * <p>Not thread-safe: one per layer import, fed serially by the parser. {@link #finish()} or
 * {@link #discard()} frees the compressor's native memory.
 */
public final class TarSplitRecorder implements TarFraming {

    /** The layer commit's metadata key holding the record ({@code ay}). */
    public static final String METADATA_KEY = "ocitree.layer.tar-split";
    /** The layer commit's metadata key saying why the layer cannot round trip ({@code s}), when it cannot. */
    public static final String UNAVAILABLE_KEY = "ocitree.layer.tar-split-unavailable";

    static final byte[] MAGIC = "OCITSPL1".getBytes(StandardCharsets.US_ASCII);
    static final int RAW = 'R';
    static final int BODY = 'B';
    static final int END = 'E';
    static final int MAX_RAW = 64 * 1024;

    private final Chunks compressed = new Chunks();
    private final OutputStream out;
    private final byte[] pending = new byte[MAX_RAW];
    private long bodies;
    private long bodySequence;
    private int fill;
    private long framingBytes;
    private boolean closed;

    public TarSplitRecorder() {
        try {
            out = new ZstdOutputStream(compressed, 3);
            out.write(MAGIC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void framing(byte[] bytes, int offset, int length) {
        framingBytes += length;
        while (length > 0) {
            int n = Math.min(length, MAX_RAW - fill);
            System.arraycopy(bytes, offset, pending, fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == MAX_RAW) {
                flushRaw();
            }
        }
    }

    @Override
    public void framing(ByteBuf bytes) {
        int at = bytes.readerIndex();
        int length = bytes.readableBytes();
        framingBytes += length;
        while (length > 0) {
            int n = Math.min(length, MAX_RAW - fill);
            bytes.getBytes(at, pending, fill, n);
            fill += n;
            at += n;
            length -= n;
            if (fill == MAX_RAW) {
                flushRaw();
            }
        }
    }

    @Override
    public void body(TarEntry entry) {
        flushRaw();
        byte[] path = entry.path().getBytes(StandardCharsets.UTF_8);
        try {
            out.write(BODY);
            writeVarint(path.length);
            out.write(path);
            writeVarint(entry.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bodies++;
        bodySequence = sequence(bodySequence, entry.path(), entry.size());
    }

    /** The number of bodies recorded so far. */
    public long bodies() {
        return bodies;
    }

    /**
     * A hash of the bodies' paths and sizes in order, as {@link #sequence} computes it: compared with
     * the same hash over what the import stored, it tells whether the import's tar stage dropped or
     * renamed entries, without keeping the paths.
     */
    public long bodySequence() {
        return bodySequence;
    }

    /** The next {@link #bodySequence()} value after a body of {@code size} bytes at {@code path}. */
    public static long sequence(long previous, String path, long size) {
        long h = (previous + path.hashCode()) * 0x9E3779B97F4A7C15L + size;
        return h ^ (h >>> 29);
    }

    /** Framing bytes recorded so far (uncompressed). */
    public long framingBytes() {
        return framingBytes;
    }

    /** Ends the record and returns it, compressed. */
    public byte[] finish() {
        flushRaw();
        try {
            out.write(END);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        closed = true;
        return compressed.toByteArray();
    }

    /**
     * The compressed record as it grows, in 64 KiB arrays: no doubling copies of one large array
     * (the import's heap is small), one array of the final size at the end.
     */
    private static final class Chunks extends OutputStream {
        private final List<byte[]> full = new ArrayList<>();
        private byte[] current = new byte[MAX_RAW];
        private int used;

        @Override
        public void write(int b) {
            if (used == current.length) {
                next();
            }
            current[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (used == current.length) {
                    next();
                }
                int n = Math.min(len, current.length - used);
                System.arraycopy(b, off, current, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        private void next() {
            full.add(current);
            current = new byte[MAX_RAW];
            used = 0;
        }

        byte[] toByteArray() {
            byte[] out = new byte[full.size() * MAX_RAW + used];
            int at = 0;
            for (byte[] chunk : full) {
                System.arraycopy(chunk, 0, out, at, chunk.length);
                at += chunk.length;
            }
            System.arraycopy(current, 0, out, at, used);
            return out;
        }
    }

    /** Frees the compressor without finishing (a failed or cancelled import); idempotent. */
    public void discard() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException | RuntimeException ignored) {
                // in-memory stream: nothing to report
            }
        }
    }

    private void flushRaw() {
        if (fill == 0) {
            return;
        }
        try {
            out.write(RAW);
            writeVarint(fill);
            out.write(pending, 0, fill);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fill = 0;
    }

    private void writeVarint(long v) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
