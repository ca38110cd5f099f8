package dev.ocitree.operators.compress;

import static dev.ocitree.operators.compress.PeerCodec.realistic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** Demand, cancellation, upstream errors, decompression bombs and threads, for every format. */
class DecompressionFlowTest {

    private static final int ZEROS = 64 << 20;
    /** lz4 decodes whole blocks: the first 4 MiB block of zeros is about 16 KiB, five 4 KiB chunks. */
    private static final int LZ4_FIRST_BLOCK_CHUNKS = 6;
    private static final Map<Compression, byte[]> TEXT = new EnumMap<>(Compression.class);
    private static final Map<Compression, byte[]> BOMBS = new EnumMap<>(Compression.class);
    private static byte[] original;

    @BeforeAll
    static void makeInputs(@TempDir Path dir) {
        PeerCodec peer = new PeerCodec(dir);
        original = realistic(2 << 20, 51);
        TEXT.put(Compression.GZIP, peer.pipe(original, "gzip -c"));
        TEXT.put(Compression.ZSTD, peer.pipe(original, "zstd -q -c"));
        TEXT.put(Compression.LZ4, peer.pipe(original, "lz4 -q -c -BD"));
        byte[] zeros = new byte[ZEROS];
        BOMBS.put(Compression.GZIP, peer.pipe(zeros, "gzip -c -9"));
        BOMBS.put(Compression.ZSTD, peer.pipe(zeros, "zstd -q -c -19"));
        BOMBS.put(Compression.LZ4, peer.pipe(zeros, "lz4 -q -c -9"));
    }

    private static Function<Flux<ByteBuf>, Flux<ByteBuf>> stage(Compression format, StreamLimits limits) {
        return Decompressors.of(format, limits, format + " input");
    }

    @Test
    void eachRequestGetsExactlyOneBoundedChunkAndASlowSubscriberSlowsTheSource() {
        StreamLimits generous = StreamLimits.defaults().maxExpansionRatio(1_000_000);
        for (Compression format : TEXT.keySet()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
            AtomicLong requested = new AtomicLong();
            Flux<ByteBuf> source = chunks.slices(BOMBS.get(format), 4096).doOnRequest(requested::addAndGet);
            StepVerifier.create(source.transform(stage(format, generous)), 0)
                    .then(() -> assertThat(requested.get()).as("%s: input requested before any demand", format)
                            .isLessThanOrEqualTo(1))
                    .thenRequest(1)
                    .assertNext(DecompressionFlowTest::assertBoundedAndRelease)
                    .then(() -> assertThat(requested.get()).as("%s: input requested for one output chunk", format)
                            .isLessThanOrEqualTo(format == Compression.LZ4 ? LZ4_FIRST_BLOCK_CHUNKS : 2))
                    .thenRequest(3)
                    .assertNext(DecompressionFlowTest::assertBoundedAndRelease)
                    .assertNext(DecompressionFlowTest::assertBoundedAndRelease)
                    .assertNext(DecompressionFlowTest::assertBoundedAndRelease)
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void demandBoundsTheInputRequestedFromUpstream() {
        StreamLimits generous = StreamLimits.defaults().maxExpansionRatio(1_000_000);
        for (Compression format : BOMBS.keySet()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
            AtomicLong requested = new AtomicLong();
            int totalInputChunks = (BOMBS.get(format).length + 1023) / 1024;
            Flux<ByteBuf> source = chunks.slices(BOMBS.get(format), 1024).doOnRequest(requested::addAndGet);
            long[] afterHundred = new long[1];
            StepVerifier.create(source.transform(stage(format, generous)).doOnNext(ByteBuf::release), 0)
                    .thenRequest(100)
                    .expectNextCount(100)
                    .then(() -> afterHundred[0] = requested.get())
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            // 100 chunks of 64 KiB are 6.25 MiB of zeros; the stream holds 64 MiB in totalInputChunks chunks
            assertThat(afterHundred[0]).as("%s: input chunks requested for 100 output chunks", format)
                    .isLessThan(totalInputChunks / 5 + 2);
            assertThat(chunks.handedOut()).hasSizeLessThanOrEqualTo((int) afterHundred[0]);
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void cancellingMidStreamReleasesEveryBuffer() {
        for (Compression format : TEXT.keySet()) {
            for (int take : new int[] {1, 5}) {
                ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
                StepVerifier.create(chunks.slices(TEXT.get(format), 3000).transform(stage(format, StreamLimits.defaults()))
                                .publishOn(Schedulers.parallel(), 2)
                                .doOnNext(ByteBuf::release)
                                .doOnDiscard(ByteBuf.class, ByteBuf::release), 0)
                        .thenRequest(take)
                        .expectNextCount(take)
                        .thenCancel()
                        .verify(Duration.ofSeconds(30));
                Feeding.assertReleased(chunks);
            }
        }
    }

    @Test
    void anUpstreamErrorMidStreamReleasesEveryBufferAndPassesThrough() {
        for (Compression format : TEXT.keySet()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
            byte[] input = TEXT.get(format);
            Flux<ByteBuf> broken = chunks.cutAt(input, 1000, 2000, input.length / 2)
                    .take(3)
                    .concatWith(Flux.error(new IllegalStateException("connection reset")));
            StepVerifier.create(broken.transform(stage(format, StreamLimits.defaults())).doOnNext(ByteBuf::release))
                    .thenConsumeWhile(c -> true)
                    .expectErrorMessage("connection reset")
                    .verify(Duration.ofSeconds(30));
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void corruptionMidStreamFailsAndReleasesEveryBuffer() {
        for (Compression format : TEXT.keySet()) {
            byte[] input = TEXT.get(format).clone();
            for (int i = input.length / 3; i < input.length / 3 + 64; i++) {
                input[i] = (byte) (input[i] * 31 + 7);
            }
            ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
            StepVerifier.create(chunks.slices(input, 5000).transform(stage(format, StreamLimits.defaults()))
                            .doOnNext(ByteBuf::release))
                    .thenConsumeWhile(c -> true)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CorruptStreamException.class)
                            .hasMessageContaining(format + " input"))
                    .verify(Duration.ofSeconds(30));
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void decompressionBombsStopEarlyWithLimitExceeded() {
        StreamLimits strict = StreamLimits.defaults().maxExpansionRatio(100).expansionGraceBytes(1 << 20);
        for (Compression format : BOMBS.keySet()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
            AtomicLong produced = new AtomicLong();
            StepVerifier.create(chunks.slices(BOMBS.get(format), 8192).transform(stage(format, strict))
                            .doOnNext(c -> {
                                produced.addAndGet(c.readableBytes());
                                c.release();
                            }))
                    .thenConsumeWhile(c -> true)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                            .hasMessageContaining("maxExpansionRatio").hasMessageContaining(format + " input"))
                    .verify(Duration.ofSeconds(30));
            assertThat(produced.get()).as("%s: bytes produced before the limit hit", format)
                    .isLessThan(ZEROS / 8);
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void decodedChunksAreFull64KiBExceptTheLastWhateverTheInputSlicing() {
        for (Compression format : TEXT.keySet()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
            java.util.List<Integer> sizes = chunks.randomSlices(TEXT.get(format), new java.util.Random(7), 3000)
                    .transform(stage(format, StreamLimits.defaults()))
                    .map(c -> {
                        int size = c.readableBytes();
                        c.release();
                        return size;
                    })
                    .collectList().block();
            assertThat(sizes.subList(0, sizes.size() - 1)).as(format.label()).allMatch(size -> size == 64 * 1024);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(original.length);
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void decodingRunsOnTheParallelSchedulerWithoutBlocking() {
        for (Compression format : TEXT.keySet()) {
            for (Function<Flux<ByteBuf>, Flux<ByteBuf>> stage : java.util.List.of(stage(format, StreamLimits.defaults()),
                    Decompressors.detect(StreamLimits.defaults()))) {
                ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
                byte[] out = ByteBufChunks.drain(chunks.slices(TEXT.get(format), 16_384)
                        .subscribeOn(Schedulers.parallel())
                        .publishOn(Schedulers.parallel())
                        .transform(stage)
                        .publishOn(Schedulers.parallel()));
                Feeding.assertSame(out, original, format + " on parallel threads");
                Feeding.assertReleased(chunks);
            }
        }
    }

    @Test
    void chunksPushedBeyondDemandOrAfterCancelByAHostileSourceAreReleased() {
        for (Compression format : TEXT.keySet()) {
            byte[] input = TEXT.get(format);
            int pushed = (input.length + 3999) / 4000;
            ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
            TestPublisher<ByteBuf> source = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW,
                    TestPublisher.Violation.DEFER_CANCELLATION);
            StepVerifier.create(source.flux().transform(stage(format, StreamLimits.defaults()))
                            .doOnNext(ByteBuf::release), 1)
                    .then(() -> {
                        for (int i = 0; i < pushed; i++) { // whatever the demand
                            source.next(chunks.chunk(input, i * 4000, Math.min(4000, input.length - i * 4000)));
                        }
                    })
                    .expectNextCount(1)
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            source.next(chunks.chunk(input, 0, 4000)); // after cancel
            assertThat(chunks.handedOut()).hasSize(pushed + 1);
            Feeding.assertReleased(chunks);
        }
    }

    private static void assertBoundedAndRelease(ByteBuf chunk) {
        try {
            assertThat(chunk.readableBytes()).isBetween(1, 64 * 1024);
        } finally {
            chunk.release();
        }
    }
}
