package dev.ocitree.operators.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.EndDirective;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One Zstandard frame over zstd-jni's streaming {@link ZstdCompressCtx} ({@code ZSTD_compressStream2}),
 * single-threaded, with the content checksum flag; the same input and level give the same bytes.
 */
final class ZstdEncoder implements ChunkEncoder {

    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK);

    ZstdEncoder(int level) {
        ctx.setLevel(level);
        ctx.setChecksum(true);
    }

    /** Set by {@link #close()}, which may come from a cancelling thread while another encodes. */
    private boolean closed;

    @Override
    public synchronized List<ByteBuf> encode(ByteBuf in) {
        if (closed) {
            return List.of();
        }
        List<ByteBuf> out = new ArrayList<>(1);
        for (ByteBuffer part : in.nioBuffers(in.readerIndex(), in.readableBytes())) {
            ByteBuffer src = part;
            if (!src.isDirect()) {
                ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining());
                direct.put(src.duplicate()).flip();
                src = direct;
            }
            while (src.hasRemaining()) {
                run(src, EndDirective.CONTINUE, out);
            }
        }
        return out;
    }

    @Override
    public synchronized List<ByteBuf> finish() {
        if (closed) {
            return List.of();
        }
        List<ByteBuf> out = new ArrayList<>(1);
        ByteBuffer empty = ByteBuffer.allocateDirect(0);
        while (!run(empty, EndDirective.END, out)) {
            // more output pending
        }
        return out;
    }

    /** One compressStream2 call; true when the directive is complete. */
    private boolean run(ByteBuffer src, EndDirective directive, List<ByteBuf> out) {
        scratch.clear();
        boolean done = ctx.compressDirectByteBufferStream(scratch, src, directive);
        scratch.flip();
        if (scratch.hasRemaining()) {
            ByteBuf chunk = Unpooled.buffer(scratch.remaining());
            chunk.writeBytes(scratch);
            out.add(chunk);
        }
        return done;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ctx.close();
    }
}
