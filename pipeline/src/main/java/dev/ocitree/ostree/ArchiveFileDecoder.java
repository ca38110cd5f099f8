package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes an archive-mode content object ({@code .filez}) pushed in chunks: collects and parses the
 * header ({@link #meta()}, {@link #size()}), then inflates the raw deflate payload. Validation as
 * ostree's reader does: header length non-zero and bounded, rdev 0, mode a regular file or
 * symlink; additionally the payload must inflate to exactly the declared size with nothing after
 * the deflate stream, and a symlink must have no payload.
 *
 * <p>Buffers: {@link #update} neither releases nor moves the reader index of {@code in} (the caller
 * owns it) and appends inflated content to {@code out} (caller-owned). Not thread-safe; pure CPU
 * work; {@link #close()} frees the native inflater (also done by {@link #finish()}).
 */
public final class ArchiveFileDecoder implements AutoCloseable {

    /** Largest header accepted: ostree's maximum metadata size, 10 MiB. */
    public static final int MAX_HEADER_SIZE = 10 * 1024 * 1024;

    private static final String TYPE = "(tuuuusa(ayay))";

    private enum State { READ_PREFIX, READ_HEADER, INFLATE, DONE }

    private final String subject;
    private State state = State.READ_PREFIX;
    private byte[] header = new byte[8];
    private int headerFill;
    private FileMeta meta;
    private long size;
    private long produced;
    private Inflater inflater;
    private final byte[] scratch = new byte[16 * 1024];

    /** @param subject names the object in error messages (e.g. its checksum or path) */
    public ArchiveFileDecoder(String subject) {
        this.subject = subject;
    }

    /** A decoded object. */
    public record Decoded(FileMeta meta, byte[] content) {
    }

    /** Decodes a whole {@code .filez}. */
    public static Decoded decode(byte[] filez, String subject) {
        ByteBuf out = Unpooled.buffer();
        try (ArchiveFileDecoder d = new ArchiveFileDecoder(subject)) {
            ByteBuf in = Unpooled.wrappedBuffer(filez);
            d.update(in, out);
            in.release();
            d.finish();
            byte[] content = new byte[out.readableBytes()];
            out.readBytes(content);
            return new Decoded(d.meta(), content);
        } finally {
            out.release();
        }
    }

    /** The stored metadata, or null while the header is incomplete. */
    public FileMeta meta() {
        return meta;
    }

    /** The declared uncompressed size (valid once {@link #meta()} is non-null). */
    public long size() {
        return size;
    }

    /**
     * Consumes the readable bytes of {@code in}, appending inflated content to {@code out}.
     *
     * @throws OstreeFormatException or {@link GVariantException} if the object is malformed
     */
    public void update(ByteBuf in, ByteBuf out) {
        int from = in.readerIndex();
        int end = in.writerIndex();
        while (from < end) {
            switch (state) {
                case READ_PREFIX, READ_HEADER -> {
                    int k = Math.min(end - from, header.length - headerFill);
                    in.getBytes(from, header, headerFill, k);
                    headerFill += k;
                    from += k;
                    if (headerFill == header.length) {
                        headerDone();
                    }
                }
                case INFLATE -> {
                    int n = end - from;
                    if (in.nioBufferCount() == 1) {
                        inflate(in.nioBuffer(from, n), out);
                    } else {
                        for (ByteBuffer b : in.nioBuffers(from, n)) {
                            inflate(b, out);
                        }
                    }
                    from = end;
                }
                case DONE -> throw fail((end - from) + " unexpected byte(s) after the end of the object");
            }
        }
    }

    private void headerDone() {
        if (state == State.READ_PREFIX) {
            long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            if (length == 0 || length > MAX_HEADER_SIZE) {
                throw fail("invalid header length " + length);
            }
            if ((header[4] | header[5] | header[6] | header[7]) != 0) {
                throw fail("non-zero padding after the header length");
            }
            header = new byte[(int) length];
            headerFill = 0;
            state = State.READ_HEADER;
            return;
        }
        List<?> v = (List<?>) Variant.parse(TYPE, header).value();
        size = Long.reverseBytes((Long) v.get(0));
        meta = FileMeta.fromHeader((Integer) v.get(1), (Integer) v.get(2), (Integer) v.get(3), (Integer) v.get(4),
                (String) v.get(5), v.get(6), "archive object " + subject);
        header = null;
        if (size < 0 || meta.isSymlink() && size != 0) {
            throw fail("invalid size " + Long.toUnsignedString(size) + " for " + meta);
        }
        if (meta.isSymlink()) {
            state = State.DONE;
        } else {
            inflater = new Inflater(true);
            state = State.INFLATE;
        }
    }

    private void inflate(ByteBuffer input, ByteBuf out) {
        inflater.setInput(input);
        try {
            while (!inflater.finished() && !inflater.needsInput()) {
                int k = inflater.inflate(scratch);
                produced += k;
                if (produced > size) {
                    throw fail("payload inflates to more than the declared size " + size);
                }
                out.writeBytes(scratch, 0, k);
                if (k == 0 && inflater.needsDictionary()) {
                    throw fail("payload needs a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new OstreeFormatException("archive object " + subject + ": invalid compressed data: " + e.getMessage(), e);
        }
        if (inflater.finished()) {
            if (inflater.getRemaining() > 0 || input.hasRemaining()) {
                throw fail("data after the end of the deflate stream");
            }
            state = State.DONE;
        }
    }

    /**
     * Checks that the whole object arrived and frees the inflater.
     *
     * @throws OstreeFormatException if the object is truncated or its content size differs
     */
    public void finish() {
        try {
            if (meta == null) {
                throw fail("truncated in the header");
            }
            if (state != State.DONE) {
                throw fail("truncated: the deflate stream does not end (" + produced + " of " + size + " bytes)");
            }
            if (produced != size) {
                throw fail("payload inflates to " + produced + " bytes but the header declares " + size);
            }
        } finally {
            close();
        }
    }

    private OstreeFormatException fail(String reason) {
        return new OstreeFormatException("archive object " + subject + ": " + reason);
    }

    /** Frees the native inflater; idempotent. */
    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
