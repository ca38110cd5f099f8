package dev.ocitree.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import reactor.core.publisher.Flux;

/**
 * Feeds byte arrays to stages as {@code ByteBuf} chunks cut where a test says (every split point,
 * random slices, single bytes), on heap or direct memory. Chunks are allocated lazily, when
 * requested, and every chunk handed out is remembered so a test can assert it was released.
 */
public final class ByteBufChunks {

    /** Where chunk memory lives. */
    public enum Memory { HEAP, DIRECT }

    private final Memory memory;
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public ByteBufChunks(Memory memory) {
        this.memory = memory;
    }

    /** {@code data} cut at the given (ascending) offsets. */
    public Flux<ByteBuf> cutAt(byte[] data, int... cuts) {
        List<int[]> ranges = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            ranges.add(new int[] {from, cut});
            from = cut;
        }
        ranges.add(new int[] {from, data.length});
        return Flux.fromIterable(ranges).map(r -> chunk(data, r[0], r[1] - r[0]));
    }

    /** {@code data} in slices of 1..maxSlice bytes, sizes drawn from {@code random}. */
    public Flux<ByteBuf> randomSlices(byte[] data, Random random, int maxSlice) {
        List<Integer> cuts = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            pos += 1 + random.nextInt(maxSlice);
            if (pos < data.length) {
                cuts.add(pos);
            }
        }
        return cutAt(data, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code data} in slices of exactly {@code size} bytes (the last may be shorter). */
    public Flux<ByteBuf> slices(byte[] data, int size) {
        int count = (data.length + size - 1) / size;
        return Flux.range(0, count).map(i -> chunk(data, i * size, Math.min(size, data.length - i * size)));
    }

    /** A chunk holding {@code data[offset, offset+length)}, with some unrelated bytes before it. */
    public synchronized ByteBuf chunk(byte[] data, int offset, int length) {
        ByteBuf buf = memory == Memory.HEAP ? Unpooled.buffer(length + 3) : Unpooled.directBuffer(length + 3);
        buf.writeBytes(new byte[] {7, 7, 7});
        buf.readerIndex(3);
        buf.writeBytes(data, offset, length);
        handedOut.add(buf);
        return buf;
    }

    /** Every chunk handed out so far. */
    public synchronized List<ByteBuf> handedOut() {
        return List.copyOf(handedOut);
    }

    /** Subscribes, copies every output chunk's bytes and releases it; rethrows a stream error. */
    public static byte[] drain(Flux<ByteBuf> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.doOnNext(buf -> {
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                out.writeBytes(bytes);
            } finally {
                buf.release();
            }
        }).blockLast();
        return out.toByteArray();
    }
}
