package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip member (RFC 1952) with a fixed header — no name, mtime 0, XFL 0, OS 3 (Unix), as
 * flatpak and {@code gzip -n} write — raw deflate at the given level, then CRC-32 and size: the
 * same input and level give the same bytes.
 */
final class GzipEncoder implements ChunkEncoder {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[CHUNK];
    private long size;
    private boolean headerWritten;

    GzipEncoder(int level) {
        this.deflater = new Deflater(level, true);
    }

    /** Set by {@link #close()}, which may come from a cancelling thread while another encodes. */
    private boolean closed;

    @Override
    public synchronized List<ByteBuf> encode(ByteBuf in) {
        if (closed) {
            return List.of();
        }
        List<ByteBuf> out = new ArrayList<>(2);
        if (!headerWritten) {
            headerWritten = true;
            out.add(Unpooled.wrappedBuffer(HEADER.clone()));
        }
        for (ByteBuffer part : in.nioBuffers(in.readerIndex(), in.readableBytes())) {
            size += part.remaining();
            crc.update(part.duplicate());
            deflater.setInput(part);
            drain(out, false);
        }
        return out;
    }

    @Override
    public synchronized List<ByteBuf> finish() {
        if (closed) {
            return List.of();
        }
        List<ByteBuf> out = new ArrayList<>(2);
        if (!headerWritten) {
            headerWritten = true;
            out.add(Unpooled.wrappedBuffer(HEADER.clone()));
        }
        deflater.finish();
        drain(out, true);
        ByteBuf trailer = Unpooled.buffer(8);
        trailer.writeIntLE((int) crc.getValue());
        trailer.writeIntLE((int) size);
        out.add(trailer);
        return out;
    }

    /** Deflates until the deflater needs input, or (finishing) until it is finished. */
    private void drain(List<ByteBuf> out, boolean finishing) {
        while (finishing ? !deflater.finished() : !deflater.needsInput()) {
            int n = deflater.deflate(scratch, 0, scratch.length, Deflater.NO_FLUSH);
            if (n > 0) {
                out.add(Unpooled.copiedBuffer(scratch, 0, n));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        deflater.end();
    }
}
