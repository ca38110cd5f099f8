package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Uncompressed input, as chosen by magic-byte detection: hands the accepted chunks over unchanged,
 * in order (the same objects; ownership passes to the caller). Close releases what was not handed over.
 */
final class PassThroughDecoder implements ChunkDecoder {

    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private boolean closed;

    @Override
    public synchronized void accept(ByteBuf chunk) {
        if (closed) {
            chunk.release();
        } else {
            queue.add(chunk);
        }
    }

    @Override
    public void endOfInput() {
        // any length is a complete uncompressed stream
    }

    @Override
    public synchronized ByteBuf poll() {
        return closed ? null : queue.poll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        ByteBuf chunk;
        while ((chunk = queue.poll()) != null) {
            chunk.release();
        }
    }
}
