package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One gzip member (RFC 1952) deflated on several cores, the way {@code pigz} does it: the input is
 * cut into blocks of {@value #BLOCK} bytes at fixed offsets; each block is deflated on its own, on
 * the scheduler, with the {@value #WINDOW} bytes before it as the preset dictionary, and ends with a
 * sync flush (the last one with the final block), so the blocks' outputs concatenate into one
 * deflate stream that any gzip reader decodes. The CRC-32 and size are computed in order as the
 * input arrives. The header is fixed (no name, mtime 0, OS Unix, as {@code gzip -n} writes it), and
 * the output depends only on the input bytes and the level: the same tar gives the same layer
 * digest whatever its chunking and whatever the number of cores. Priming each block with the
 * previous window keeps the size within a fraction of a percent of a one-core deflate.
 *
 * <p>Buffers: each input chunk is copied into the current block and released at once; blocks are
 * plain arrays; output chunks are new heap buffers the subscriber owns, released on cancel or error
 * through the discard hook. Memory: about {@code parallelism + 2} blocks and their outputs.
 */
final class ParallelGzip implements Function<Flux<ByteBuf>, Flux<ByteBuf>> {

    /** Uncompressed bytes per independently deflated block (pigz's default). */
    static final int BLOCK = 128 * 1024;
    /** The dictionary each block is primed with: deflate's whole window. */
    static final int WINDOW = 32 * 1024;

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final int level;
    private final Scheduler scheduler;
    private final int parallelism;

    ParallelGzip(int level, Scheduler scheduler, int parallelism) {
        this.level = level;
        this.scheduler = scheduler;
        this.parallelism = parallelism;
    }

    @Override
    public Flux<ByteBuf> apply(Flux<ByteBuf> input) {
        return Flux.defer(() -> {
            Blocks blocks = new Blocks();
            Flux<Block> cut = input.concatMapIterable(chunk -> {
                try {
                    return blocks.add(chunk);
                } finally {
                    chunk.release();
                }
            }, Compressors.PREFETCH).concatWith(Mono.fromCallable(blocks::last));
            return Mono.fromCallable(() -> Unpooled.wrappedBuffer(HEADER.clone()))
                    .concatWith(cut.flatMapSequential(
                            block -> Mono.fromCallable(() -> block.deflate(level)).subscribeOn(scheduler), parallelism, 1))
                    .concatWith(Mono.fromCallable(blocks::trailer));
        }).doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    /** A block to deflate: {@code length} bytes of {@code data}, primed with {@code dictionary} (or none). */
    private record Block(byte[] data, int length, byte[] dictionary, boolean last) {

        ByteBuf deflate(int level) {
            Deflater deflater = new Deflater(level, true);
            try {
                if (dictionary != null) {
                    deflater.setDictionary(dictionary);
                }
                deflater.setInput(data, 0, length);
                if (last) {
                    deflater.finish();
                }
                byte[] out = new byte[length / 2 + 1024];
                int n = 0;
                while (true) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    n += deflater.deflate(out, n, out.length - n, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                    // done: the final block written, or the sync flush complete (it left room in the buffer)
                    if (last ? deflater.finished() : n < out.length && deflater.needsInput()) {
                        return Unpooled.wrappedBuffer(out, 0, n);
                    }
                }
            } finally {
                deflater.end();
            }
        }
    }

    /** The cutting of one stream into blocks, with the CRC-32 and size of everything seen. */
    private static final class Blocks {
        private final CRC32 crc = new CRC32();
        private long size;
        private byte[] current = new byte[BLOCK];
        private int filled;
        private byte[] window;

        List<Block> add(ByteBuf chunk) {
            List<Block> full = new ArrayList<>(1);
            for (ByteBuffer part : chunk.nioBuffers(chunk.readerIndex(), chunk.readableBytes())) {
                size += part.remaining();
                crc.update(part.duplicate());
                while (part.hasRemaining()) {
                    int n = Math.min(part.remaining(), BLOCK - filled);
                    part.get(current, filled, n);
                    filled += n;
                    if (filled == BLOCK) {
                        full.add(new Block(current, BLOCK, window, false));
                        window = Arrays.copyOfRange(current, BLOCK - WINDOW, BLOCK);
                        current = new byte[BLOCK];
                        filled = 0;
                    }
                }
            }
            return full;
        }

        Block last() {
            return new Block(current, filled, window, true);
        }

        ByteBuf trailer() {
            ByteBuf trailer = Unpooled.buffer(8);
            trailer.writeIntLE((int) crc.getValue());
            trailer.writeIntLE((int) size);
            return trailer;
        }
    }
}
