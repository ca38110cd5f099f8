package dev.ocitree.ostree;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.zip.Deflater;

/**
 * Encodes an archive-mode content object ({@code .filez}, OSTREE-FORMAT.md §2.10): the
 * length-prefixed {@code (tuuuusa(ayay))} header, then the content as a raw deflate stream (RFC 1951,
 * no zlib or gzip wrapper). A regular file always has a deflate stream ({@code 03 00} when empty);
 * a symlink has none.
 *
 * <p>With {@link #DEFAULT_LEVEL} (6, ostree's default {@code [archive] zlib-level}) the output is
 * byte-identical to the {@code .filez} ostree 2022.7 writes: both use zlib with window bits −15 and
 * memory level 8, and {@code Z_NO_FLUSH} makes the stream independent of how the input is chunked.
 *
 * <p>Buffers: {@link #header()} returns a new buffer the caller owns; {@link #update} and
 * {@link #finish} neither release nor move the reader index of {@code in}, and append to
 * {@code out}, which the caller owns. Not thread-safe; pure CPU work. {@link #close()} frees the
 * native deflater early (on cancel or error); {@link #finish} does so too.
 */
public final class ArchiveFileEncoder implements AutoCloseable {

    /** ostree's default compression level ({@code OSTREE_ARCHIVE_DEFAULT_COMPRESSION_LEVEL}). */
    public static final int DEFAULT_LEVEL = 6;

    private static final int SCRATCH = 16 * 1024;

    private final FileMeta meta;
    private final long size;
    private final Deflater deflater;
    private final byte[] scratch;
    private long consumed;
    private boolean done;

    /**
     * @param meta the metadata to store (as hashed: canonicalise first if the mode requires)
     * @param size the exact uncompressed content length (0 for a symlink)
     * @param level deflate level 0–9 (ostree accepts any; 6 reproduces ostree's bytes)
     */
    public ArchiveFileEncoder(FileMeta meta, long size, int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level must be 0-9, got " + level);
        }
        if (size < 0 || meta.isSymlink() && size != 0) {
            throw new OstreeFormatException("invalid content size " + size + " for " + meta);
        }
        this.meta = meta;
        this.size = size;
        this.deflater = meta.isSymlink() ? null : new Deflater(level, true);
        this.scratch = meta.isSymlink() ? null : new byte[SCRATCH];
    }

    /** Encodes a whole object into a new byte array. */
    public static byte[] encode(FileMeta meta, byte[] content, int level) {
        ByteBuf out = Unpooled.buffer(content.length / 2 + 64);
        try (ArchiveFileEncoder enc = new ArchiveFileEncoder(meta, content.length, level)) {
            ByteBuf header = enc.header();
            out.writeBytes(header);
            header.release();
            ByteBuf in = Unpooled.wrappedBuffer(content);
            enc.update(in, out);
            in.release();
            enc.finish(out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    /** The object's header (length prefix + {@code (tuuuusa(ayay))}); the caller owns the buffer. */
    public ByteBuf header() {
        return Unpooled.wrappedBuffer(meta.archiveHeader(size));
    }

    /**
     * Compresses the readable bytes of {@code in} and appends output to {@code out}.
     *
     * @throws OstreeFormatException if more content arrives than the declared size
     */
    public void update(ByteBuf in, ByteBuf out) {
        int n = in.readableBytes();
        if (n == 0) {
            return;
        }
        if (done) {
            throw new IllegalStateException("encoder already finished or closed");
        }
        consumed += n;
        if (consumed > size) {
            throw new OstreeFormatException("content of " + meta + " is longer than its declared size " + size);
        }
        if (in.hasArray()) {
            deflater.setInput(in.array(), in.arrayOffset() + in.readerIndex(), n);
            drain(out, Deflater.NO_FLUSH);
        } else if (in.nioBufferCount() == 1) {
            deflater.setInput(in.nioBuffer(in.readerIndex(), n));
            drain(out, Deflater.NO_FLUSH);
        } else {
            for (java.nio.ByteBuffer b : in.nioBuffers(in.readerIndex(), n)) {
                deflater.setInput(b);
                drain(out, Deflater.NO_FLUSH);
            }
        }
    }

    private void drain(ByteBuf out, int flush) {
        while (!deflater.needsInput()) {
            int k = deflater.deflate(scratch, 0, scratch.length, flush);
            out.writeBytes(scratch, 0, k);
        }
    }

    /**
     * Ends the deflate stream, appends its last bytes to {@code out} and frees the deflater.
     *
     * @throws OstreeFormatException if less content arrived than declared
     */
    public void finish(ByteBuf out) {
        if (done) {
            throw new IllegalStateException("encoder already finished or closed");
        }
        if (consumed != size) {
            close();
            throw new OstreeFormatException("content of " + meta + " ended after " + consumed + " of its declared "
                    + size + " bytes");
        }
        if (deflater != null) {
            deflater.finish();
            while (!deflater.finished()) {
                int k = deflater.deflate(scratch);
                out.writeBytes(scratch, 0, k);
            }
        }
        close();
    }

    /** Frees the native deflater; idempotent. */
    @Override
    public void close() {
        done = true;
        if (deflater != null) {
            deflater.end();
        }
    }
}
