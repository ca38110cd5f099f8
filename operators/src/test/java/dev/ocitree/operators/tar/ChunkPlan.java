package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import reactor.core.publisher.Flux;

/**
 * How a test cuts a byte array into the chunks it feeds the parser, and from which allocator. The
 * chunks are allocated lazily, as they are requested, so a cancelled or failed stream never leaves
 * unrequested buffers behind.
 */
record ChunkPlan(String name, Kind kind, Cutter cutter) {

    enum Kind {
        /** {@code Unpooled.wrappedBuffer} of a copy: not tracked by the leak detector (cheap, for sweeps). */
        WRAPPED_HEAP(null, false),
        HEAP(UnpooledByteBufAllocator.DEFAULT, false),
        DIRECT(UnpooledByteBufAllocator.DEFAULT, true),
        POOLED_DIRECT(PooledByteBufAllocator.DEFAULT, true);

        final ByteBufAllocator allocator;
        final boolean direct;

        Kind(ByteBufAllocator allocator, boolean direct) {
            this.allocator = allocator;
            this.direct = direct;
        }

        ByteBuf copy(byte[] data, int from, int to) {
            if (allocator == null) {
                return Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(data, from, to));
            }
            ByteBuf buf = direct ? allocator.directBuffer(to - from) : allocator.heapBuffer(to - from);
            return buf.writeBytes(data, from, to - from);
        }
    }

    /** Chunk boundaries for an input of a given length: ascending, excluding 0, ending at the length. */
    interface Cutter {
        List<Integer> cuts(int length);
    }

    static ChunkPlan fixed(int size, Kind kind) {
        return new ChunkPlan(size + "-byte " + kind, kind, length -> {
            List<Integer> cuts = new ArrayList<>();
            for (int at = size; at < length; at += size) {
                cuts.add(at);
            }
            cuts.add(length);
            return cuts;
        });
    }

    static ChunkPlan splitAt(int at, Kind kind) {
        return new ChunkPlan("split at " + at + " " + kind, kind,
                length -> at > 0 && at < length ? List.of(at, length) : List.of(length));
    }

    static ChunkPlan random(long seed, int maxChunk, Kind kind) {
        return new ChunkPlan("random(seed " + seed + ", max " + maxChunk + ") " + kind, kind, length -> {
            Random rnd = new Random(seed);
            List<Integer> cuts = new ArrayList<>();
            for (int at = 1 + rnd.nextInt(maxChunk); at < length; at += 1 + rnd.nextInt(maxChunk)) {
                cuts.add(at);
            }
            cuts.add(length);
            return cuts;
        });
    }

    Flux<ByteBuf> chunks(byte[] data) {
        List<Integer> cuts = data.length == 0 ? List.of() : cutter.cuts(data.length);
        return Flux.range(0, cuts.size())
                .map(i -> kind.copy(data, i == 0 ? 0 : cuts.get(i - 1), cuts.get(i)));
    }

    @Override
    public String toString() {
        return name;
    }
}
