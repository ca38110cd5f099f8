package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * Demand and buffer ownership: a slow subscriber slows the source, cancellation and errors (from
 * upstream or from the archive) release every buffer the stage holds, and the stage works under
 * several discard hooks and across threads. Every test also runs under paranoid leak detection.
 */
class TarParserDemandAndOwnershipTest {

    @TempDir
    static Path work;
    static byte[] manySmallFiles;

    @BeforeAll
    static void archive() {
        manySmallFiles = TarTools.read(TarTools.gnuTar(TarTools.tree(work, "full"), work, "posix", "--xattrs"));
    }

    /** Source chunks of {@code data}, allocated lazily and remembered so that tests can check them. */
    private static Flux<ByteBuf> tracked(byte[] data, int chunkSize, List<ByteBuf> seen) {
        return ChunkPlan.fixed(chunkSize, ChunkPlan.Kind.DIRECT).chunks(data).doOnNext(seen::add);
    }

    private static void assertAllReleased(List<ByteBuf> chunks) {
        assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.refCnt()).as("chunk refCnt").isZero());
    }

    /** A tar stream of one regular file of {@code size} bytes whose content is generated on demand. */
    private static Flux<ByteBuf> endlessFile(long size, AtomicInteger generated) {
        TarArchiveEntry entry = new TarArchiveEntry("huge.bin");
        entry.setSize(size);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        return Flux.concat(Flux.just(header), Flux.<byte[]>generate(sink -> sink.next(new byte[8192])))
                .map(b -> {
                    generated.incrementAndGet();
                    return Unpooled.wrappedBuffer(b);
                });
    }

    @Test
    void slowSubscriberSlowsTheSource() {
        AtomicInteger generated = new AtomicInteger();
        Flux<TarEvent> events = endlessFile(1L << 32, generated).transform(TarParser.parse(StreamLimits.defaults()));

        StepVerifier.create(events, 0)
                .then(() -> assertThat(generated.get()).as("chunks before any demand").isLessThanOrEqualTo(1))
                .thenRequest(1)
                .assertNext(e -> assertThat(e).isInstanceOf(TarEvent.Entry.class))
                .then(() -> assertThat(generated.get()).as("chunks after 1 event").isLessThanOrEqualTo(2))
                .thenRequest(1)
                .assertNext(e -> ((TarEvent.Content) e).release())
                .thenRequest(3)
                .assertNext(e -> ((TarEvent.Content) e).release())
                .assertNext(e -> ((TarEvent.Content) e).release())
                .assertNext(e -> ((TarEvent.Content) e).release())
                .then(() -> assertThat(generated.get()).as("chunks after 5 events").isLessThanOrEqualTo(6))
                .thenCancel()
                .verify();
    }

    @Test
    void cancellationMidEntryReleasesEveryBuffer() {
        List<ByteBuf> chunks = new CopyOnWriteArrayList<>();
        Flux<TarEvent> events = tracked(manySmallFiles, 1000, chunks).transform(TarParser.parse(StreamLimits.defaults()));

        StepVerifier.create(events, 0)
                .thenRequest(1)
                .assertNext(e -> assertThat(e).isInstanceOf(TarEvent.Entry.class))
                .thenRequest(30)
                .thenConsumeWhile(e -> !(e instanceof TarEvent.Content), e -> { })
                .consumeNextWith(e -> ((TarEvent.Content) e).release())
                .thenCancel()
                .verify();
        assertAllReleased(chunks);
    }

    @Test
    void cancellationWithEventsOfAChunkStillQueuedReleasesThem() {
        List<ByteBuf> chunks = new CopyOnWriteArrayList<>();
        // one chunk holds every entry: most of its events are parsed but not yet emitted at cancel
        Flux<TarEvent> events = tracked(manySmallFiles, manySmallFiles.length, chunks)
                .transform(TarParser.parse(StreamLimits.defaults()));

        StepVerifier.create(events.take(5), 5)
                .thenConsumeWhile(e -> true, e -> {
                    if (e instanceof TarEvent.Content c) {
                        c.release();
                    }
                })
                .verifyComplete();
        assertAllReleased(chunks);
    }

    @Test
    void upstreamErrorMidStreamReleasesEveryBuffer() {
        List<ByteBuf> chunks = new CopyOnWriteArrayList<>();
        byte[] half = java.util.Arrays.copyOf(manySmallFiles, manySmallFiles.length / 2);
        Flux<ByteBuf> failing = tracked(half, 3000, chunks).concatWith(Flux.error(new IOException("network down")));

        StepVerifier.create(failing.transform(TarParser.parse(StreamLimits.defaults())))
                .thenConsumeWhile(e -> true, e -> {
                    if (e instanceof TarEvent.Content c) {
                        c.release();
                    }
                })
                .expectErrorMessage("network down")
                .verify();
        assertAllReleased(chunks);
    }

    @Test
    void archiveErrorMidStreamReleasesEveryBufferAndCancelsTheSource() {
        byte[] corrupt = manySmallFiles.clone();
        // every block but the first gets a checksum digit flipped: the second header read fails
        for (int at = 512 + 148; at < corrupt.length; at += 512) {
            corrupt[at] ^= 1;
        }
        List<ByteBuf> chunks = new CopyOnWriteArrayList<>();
        AtomicInteger cancelled = new AtomicInteger();
        Flux<TarEvent> events = tracked(corrupt, 700, chunks).doOnCancel(cancelled::incrementAndGet)
                .transform(TarParser.parse(StreamLimits.defaults()));

        StepVerifier.create(events)
                .thenConsumeWhile(e -> true, e -> {
                    if (e instanceof TarEvent.Content c) {
                        c.release();
                    }
                })
                .expectError(TarFormatException.class)
                .verify();
        assertAllReleased(chunks);
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void severalDiscardHooksAndAThreadHopReleaseEachSliceOnce() {
        List<ByteBuf> chunks = new CopyOnWriteArrayList<>();
        AtomicInteger released = new AtomicInteger();
        Flux<TarEvent> events = tracked(manySmallFiles, 512, chunks)
                .transform(TarParser.parse(StreamLimits.defaults()))
                .publishOn(Schedulers.parallel(), 8)
                .doOnDiscard(TarEvent.Content.class, c -> {
                    if (c.release()) {
                        released.incrementAndGet();
                    }
                })
                .doOnDiscard(TarEvent.Content.class, TarEvent.Content::release);

        AtomicInteger received = new AtomicInteger();
        StepVerifier.create(events, 0)
                .thenRequest(40)
                .thenConsumeWhile(e -> {
                    if (e instanceof TarEvent.Content c) {
                        c.release();
                    }
                    return received.incrementAndGet() < 40;
                })
                .thenCancel()
                .verify();
        assertAllReleased(chunks);
    }

    @Test
    void chunksDeliveredAfterTheStageFailedAreReleased() {
        TestPublisher<ByteBuf> source = TestPublisher.createNoncompliant(
                TestPublisher.Violation.DEFER_CANCELLATION, TestPublisher.Violation.REQUEST_OVERFLOW);
        byte[] corrupt = java.util.Arrays.copyOf(manySmallFiles, 512);
        corrupt[150] ^= 1;
        List<ByteBuf> late = List.of(ChunkPlan.Kind.DIRECT.copy(manySmallFiles, 512, 1024),
                ChunkPlan.Kind.POOLED_DIRECT.copy(manySmallFiles, 1024, 4096));

        StepVerifier.create(source.flux().transform(TarParser.parse(StreamLimits.defaults())))
                .then(() -> source.next(Unpooled.wrappedBuffer(corrupt)))
                .expectError(TarFormatException.class)
                .verify();
        source.next(late.get(0), late.get(1));
        assertAllReleased(late);
    }
}
