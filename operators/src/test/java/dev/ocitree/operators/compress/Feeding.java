package dev.ocitree.operators.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/** Feeds a stage its input split in every way a test needs and checks output and buffer release. */
final class Feeding {

    private Feeding() {
    }

    /** Splits {@code input} in two at every offset (0..length), heap and direct; output must equal {@code expected}. */
    static void atEverySplitPoint(Function<Flux<ByteBuf>, Flux<ByteBuf>> stage, byte[] input, byte[] expected) {
        for (Memory memory : Memory.values()) {
            for (int cut = 0; cut <= input.length; cut++) {
                ByteBufChunks chunks = new ByteBufChunks(memory);
                byte[] out = ByteBufChunks.drain(chunks.cutAt(input, cut).transform(stage));
                assertSame(out, expected, memory + " input split at " + cut);
                assertReleased(chunks);
            }
        }
    }

    /** Feeds {@code input} one byte per chunk, heap and direct. */
    static void bytewise(Function<Flux<ByteBuf>, Flux<ByteBuf>> stage, byte[] input, byte[] expected) {
        for (Memory memory : Memory.values()) {
            ByteBufChunks chunks = new ByteBufChunks(memory);
            assertSame(ByteBufChunks.drain(chunks.slices(input, 1).transform(stage)), expected, memory + " bytewise");
            assertReleased(chunks);
        }
    }

    /** Random slices of up to 1000, 30000 and 200000 bytes, heap and direct. */
    static void inRandomSlices(Function<Flux<ByteBuf>, Flux<ByteBuf>> stage, byte[] input, byte[] expected) {
        Random random = new Random(input.length);
        for (Memory memory : Memory.values()) {
            for (int maxSlice : new int[] {1000, 30_000, 200_000}) {
                ByteBufChunks chunks = new ByteBufChunks(memory);
                byte[] out = ByteBufChunks.drain(chunks.randomSlices(input, random, maxSlice).transform(stage));
                assertSame(out, expected, memory + " random slices up to " + maxSlice + " bytes");
                assertReleased(chunks);
            }
        }
    }

    static void assertSame(byte[] actual, byte[] expected, String what) {
        if (!Arrays.equals(actual, expected)) {
            int i = Arrays.mismatch(actual, expected);
            fail(what + ": output differs from the original at byte " + i + " (got " + actual.length
                    + " bytes, expected " + expected.length + ")");
        }
    }

    static void assertReleased(ByteBufChunks chunks) {
        for (ByteBuf buf : chunks.handedOut()) {
            assertThat(buf.refCnt()).as("refCnt of an input chunk after the stream ended").isZero();
        }
    }
}
