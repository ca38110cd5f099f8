package dev.ocitree.operators.compress;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.Native;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Zstandard push decoder over zstd-jni's streaming {@link ZstdDecompressCtx}
 * ({@code ZSTD_decompressStream}, heap or direct buffers, never blocking). Consecutive frames and
 * skippable frames are decoded as one stream. The stream must end on a frame boundary; an empty
 * stream is corrupt. The window is limited to zstd's default (2^27 bytes, as the {@code zstd} CLI
 * without {@code --long}); larger windows are rejected rather than allocated.
 */
final class ZstdDecoder extends StreamDecoder {

    /** Little-endian frame magic {@code 28 b5 2f fd}. */
    static final int MAGIC = 0xFD2FB528;

    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    /** True when the stream is between frames (nothing started or the last frame fully flushed). */
    private boolean atBoundary = true;
    private boolean sawInput;

    ZstdDecoder(String subject, StreamLimits limits) {
        super(subject, Compression.ZSTD, limits);
    }

    /** Loads the native library on the calling thread (it may write a temp file: call off event loops). */
    static void loadNative() {
        Native.load();
    }

    @Override
    void decode(ByteBuf out) {
        while (out.isWritable()) {
            ByteBuf chunk = head();
            ByteBuffer src = chunk == null ? ByteBuffer.allocate(0) : chunk.nioBuffer(chunk.readerIndex(), chunk.readableBytes());
            int srcStart = src.position();
            int start = out.writerIndex();
            ByteBuffer dst = out.nioBuffer(start, out.writableBytes());
            int dstStart = dst.position();
            boolean frameDone;
            try {
                frameDone = ctx.decompressByteBufferStream(dst, src);
            } catch (ZstdException e) {
                throw corrupt(e.getMessage(), e);
            }
            int read = src.position() - srcStart;
            int written = dst.position() - dstStart;
            if (read > 0) {
                sawInput = true;
                consume(chunk, read);
            }
            out.writerIndex(start + written);
            if (read > 0 || written > 0) {
                atBoundary = frameDone;
            } else if (chunk == null) {
                break;
            } else {
                throw corrupt("zstd decoder made no progress with input and output space available");
            }
        }
    }

    @Override
    void checkComplete() {
        if (!sawInput) {
            throw corrupt("empty input, expected a zstd frame");
        }
        if (!atBoundary) {
            throw corrupt("truncated zstd stream (ended inside a frame)");
        }
    }

    @Override
    void freeResources() {
        ctx.close();
    }
}
