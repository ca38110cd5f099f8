package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A compressor's state for one stream, driven by {@link Compressors}: {@link #encode} each input
 * chunk (not released here), {@link #finish} once, {@link #close} always. Output chunks are new
 * heap buffers owned by the caller. Never blocks. The three methods are serialised
 * ({@code synchronized}): a cancel may close the encoder from another thread while a chunk is being
 * encoded; calls after {@link #close} return nothing.
 */
interface ChunkEncoder extends AutoCloseable {

    /** Output chunk size. */
    int CHUNK = 64 * 1024;

    List<ByteBuf> encode(ByteBuf in);

    List<ByteBuf> finish();

    @Override
    void close();
}
