package dev.ocitree.operators.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testsupport.ByteBufChunks;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Our compressors' output as gzip and zstd decode it, their determinism, and buffer ownership. */
class CompressorsTest {

    @TempDir
    Path work;

    private static byte[] input() {
        Random random = new Random(3);
        byte[] data = new byte[1_500_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt() : 'a' + (i % 13));
        }
        return data;
    }

    private static byte[] compress(Function<Flux<ByteBuf>, Flux<ByteBuf>> stage, byte[] data, int slice) {
        ByteBufChunks chunks = new ByteBufChunks(ByteBufChunks.Memory.DIRECT);
        byte[] out = ByteBufChunks.drain(chunks.randomSlices(data, new Random(slice), slice).transform(stage));
        Feeding.assertReleased(chunks);
        return out;
    }

    @Test
    void gzipOutputIsWhatGzipDecodesAndIsTheSameForAnyChunking() {
        byte[] data = input();
        byte[] one = compress(Compressors.gzip(6), data, 1000);
        byte[] two = compress(Compressors.gzip(6), data, 70_000);
        assertThat(two).isEqualTo(one);
        assertThat(new PeerCodec(work).pipe(one, "gzip -dc")).isEqualTo(data);
        assertThat(new PeerCodec(work).exitCode(one, "gzip -t")).isZero();
        assertThat(one).startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
    }

    @Test
    void parallelGzipIsTheSameForAnyParallelismAndAsSmallAsOneCoreDeflate() {
        byte[] data = input();
        byte[] parallel = compress(new ParallelGzip(6, Schedulers.parallel(), 4), data, 5000);
        byte[] serial = compress(new ParallelGzip(6, Schedulers.immediate(), 1), data, 90_000);
        assertThat(parallel).isEqualTo(serial);
        // one deflate stream over the whole input, as gzip itself writes it
        java.util.zip.Deflater whole = new java.util.zip.Deflater(6, true);
        whole.setInput(data);
        whole.finish();
        byte[] buf = new byte[data.length];
        int oneCore = whole.deflate(buf);
        whole.end();
        assertThat(parallel.length - 18).isLessThan(oneCore + oneCore / 100);
    }

    @Test
    void parallelGzipDecodesAtEveryBlockBoundary() {
        Random random = new Random(5);
        for (int size : new int[] {1, ParallelGzip.WINDOW, ParallelGzip.BLOCK - 1, ParallelGzip.BLOCK,
            ParallelGzip.BLOCK + 1, 3 * ParallelGzip.BLOCK, 3 * ParallelGzip.BLOCK + 17}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (int i = 0; i < size; i += 3) {
                data[i] = 'x';
            }
            byte[] gz = compress(Compressors.gzip(6), data, 4096);
            assertThat(new PeerCodec(work).pipe(gz, "gzip -dc")).as("size " + size).isEqualTo(data);
        }
    }

    @Test
    void zstdOutputIsWhatZstdDecodesAndIsTheSameForAnyChunking() {
        byte[] data = input();
        byte[] one = compress(Compressors.zstd(3), data, 1000);
        byte[] two = compress(Compressors.zstd(3), data, 70_000);
        assertThat(two).isEqualTo(one);
        assertThat(new PeerCodec(work).pipe(one, "zstd -dc")).isEqualTo(data);
        assertThat(one.length).isLessThan(data.length / 2);
    }

    @Test
    void emptyInputGivesValidEmptyStreams() {
        assertThat(new PeerCodec(work).pipe(compress(Compressors.gzip(6), new byte[0], 10), "gzip -dc")).isEmpty();
        assertThat(new PeerCodec(work).pipe(compress(Compressors.zstd(3), new byte[0], 10), "zstd -dc")).isEmpty();
    }

    @Test
    void cancellationReleasesInputAndOutput() {
        for (Function<Flux<ByteBuf>, Flux<ByteBuf>> stage : java.util.List.of(Compressors.gzip(1), Compressors.zstd(1))) {
            ByteBufChunks chunks = new ByteBufChunks(ByteBufChunks.Memory.HEAP);
            StepVerifier.create(chunks.slices(input(), 4096).publishOn(Schedulers.parallel()).transform(stage), 1)
                    .consumeNextWith(ByteBuf::release)
                    .thenCancel()
                    .verify();
            // a chunk being compressed on the parallel scheduler when the cancel came is released
            // by that thread when it is done: wait for it, then every input chunk must be released
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (chunks.handedOut().stream().anyMatch(b -> b.refCnt() != 0) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void inputIsRequestedOnlyAsOutputIsWantedWhateverTheDemand() {
        java.util.concurrent.atomic.AtomicLong requested = new java.util.concurrent.atomic.AtomicLong();
        Random random = new Random(9);
        // 1000 chunks of 64 KiB, not fuseable (hide), so every request reaches the source
        Flux<ByteBuf> endless = Flux.range(0, 1000).map(i -> {
                    byte[] b = new byte[65536];
                    random.nextBytes(b);
                    return io.netty.buffer.Unpooled.wrappedBuffer(b);
                })
                .hide()
                .doOnRequest(n -> requested.addAndGet(n));
        for (Function<Flux<ByteBuf>, Flux<ByteBuf>> stage : java.util.List.of(Compressors.gzip(1), Compressors.zstd(1))) {
            requested.set(0);
            // unbounded demand downstream; the stage still pulls its input a few chunks at a time
            StepVerifier.create(endless.transform(stage).take(3, false).doOnNext(ByteBuf::release))
                    .expectNextCount(3)
                    .verifyComplete();
            assertThat(requested.get()).as("input chunks requested for 3 output chunks").isLessThanOrEqualTo(8);
        }
    }
}
