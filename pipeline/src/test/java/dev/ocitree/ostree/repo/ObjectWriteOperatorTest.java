package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The write stage ({@link Transaction#writeObjects()}) as an operator: archive order, ostree's
 * checksums, demand bounded by the writes in flight, buffers released on cancel and error, and no
 * blocking on the subscribing thread.
 */
class ObjectWriteOperatorTest {

    @TempDir
    Path tmp;

    private final List<ByteBuf> made = new ArrayList<>();

    private static TarEntry entry(String path, TarEntryType type, long size, int mode, String link) {
        return new TarEntry(path, type, size, mode, 1000, 100, "", "", 0, link, 0, 0, null, 0);
    }

    private List<TarEvent> file(String path, byte[] content, int chunk) {
        TarEntry e = entry(path, TarEntryType.REGULAR, content.length, 0644, null);
        List<TarEvent> events = new ArrayList<>();
        events.add(new TarEvent.Entry(e));
        for (int i = 0; i < content.length; i += chunk) {
            ByteBuf b = Unpooled.directBuffer().writeBytes(content, i, Math.min(chunk, content.length - i));
            made.add(b);
            events.add(new TarEvent.Content(b));
        }
        events.add(new TarEvent.EntryEnd(e));
        return events;
    }

    private static List<TarEvent> plain(TarEntry e) {
        return List.of(new TarEvent.Entry(e), new TarEvent.EntryEnd(e));
    }

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void emitsOneStoredEntryPerEntryInArchiveOrderWithOstreesChecksums(RepoMode mode) {
        byte[] small = "hello, ostree\n".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[(1 << 20) + 300_000];
        new Random(7).nextBytes(large);
        List<TarEvent> events = new ArrayList<>(plain(entry("d", TarEntryType.DIRECTORY, 0, 0750, null)));
        events.addAll(file("d/small", small, 5));
        events.addAll(file("d/large", large, 65536));
        events.addAll(plain(entry("d/link", TarEntryType.SYMLINK, 0, 0777, "small")));
        events.addAll(plain(entry("d/hard", TarEntryType.HARDLINK, 0, 0644, "d/small")));
        events.addAll(plain(entry("d/fifo", TarEntryType.FIFO, 0, 0644, null)));
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), mode)) {
            List<StoredEntry> stored = repo.transaction(WriteOptions.defaults().writesInFlight(3),
                    tx -> Flux.fromIterable(events).transform(tx.writeObjects()).collectList()).block();

            FileMeta regular = FileMeta.regular(1000, 100, 0644, Xattrs.empty()).canonical(mode);
            assertThat(stored).extracting(s -> s.entry().path())
                    .containsExactly("d", "d/small", "d/large", "d/link", "d/hard", "d/fifo");
            assertThat(stored.get(0).object())
                    .isEqualTo(Dirmeta.directory(1000, 100, 0750, Xattrs.empty()).canonical(mode).checksum());
            assertThat(stored.get(1).object()).isEqualTo(FileObjectHasher.checksum(regular, small));
            assertThat(stored.get(2).object()).isEqualTo(FileObjectHasher.checksum(regular, large));
            assertThat(stored.get(3).object()).isEqualTo(FileObjectHasher.checksum(
                    FileMeta.symlink(1000, 100, "small", Xattrs.empty()).canonical(mode), new byte[0]));
            assertThat(stored.get(4).object()).isNull();
            assertThat(stored.get(5).object()).isNull();
            for (int i = 1; i <= 3; i++) {
                assertThat(repo.has(ObjectType.FILE, stored.get(i).object()).block()).isTrue();
            }
            assertThat(repo.has(ObjectType.DIR_META, stored.get(0).object()).block()).isTrue();
        }
        assertThat(made).allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void upstreamIsAskedForMoreOnlyAsWriteSlotsFreeUp() {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        Scheduler manual = Schedulers.fromExecutor(held::add);
        List<TarEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.addAll(file("f" + i, ("file " + i).getBytes(StandardCharsets.UTF_8), 64));
        }
        AtomicLong requested = new AtomicLong();
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), RepoMode.BARE_USER_ONLY)) {
            Transaction tx = repo.newTransaction(manual, 4);
            Flux<StoredEntry> stage = Flux.fromIterable(events).doOnRequest(requested::addAndGet)
                    .transform(tx.writeObjects());
            StepVerifier.create(stage, 0)
                    .then(() -> {
                        // 4 writes queued, none run: no more events asked for than 4 writes can come from
                        assertThat(held).hasSize(4);
                        assertThat(requested.get()).isLessThanOrEqualTo(4 * 3);
                    })
                    .then(() -> runAll(held))
                    .then(() -> assertThat(requested.get()).isGreaterThan(12))
                    .thenRequest(Long.MAX_VALUE)
                    .then(() -> {
                        while (!held.isEmpty()) {
                            runAll(held);
                        }
                    })
                    .expectNextCount(50)
                    .verifyComplete();
        }
        assertThat(made).allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void cancellingInsideALargeFileReleasesQueuedChunksAndLeavesNoStagedFile() throws IOException {
        List<TarEvent> big = file("big", new byte[(1 << 20) + 10], 65536);
        // 4 chunks written (the temp file exists), 4 more queued for the writer when the cancel comes
        cancelMidway(big, 5, 9);
    }

    @Test
    void cancellingInsideAGatheredFileReleasesItsSlices() throws IOException {
        List<TarEvent> small = file("small", new byte[1000], 100);
        cancelMidway(small, 1, 4);
    }

    /** Emits events[0, written), runs the writes, emits [written, queued), cancels, runs what is left. */
    private void cancelMidway(List<TarEvent> events, int written, int queued) throws IOException {
        ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        Scheduler manual = Schedulers.fromExecutor(held::add);
        Sinks.Many<TarEvent> upstream = Sinks.many().unicast().onBackpressureBuffer();
        Path repoPath = tmp.resolve("repo");
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.ARCHIVE)) {
            Transaction tx = repo.newTransaction(manual, 64);
            StepVerifier.create(upstream.asFlux().transform(tx.writeObjects()))
                    .then(() -> {
                        events.subList(0, written).forEach(upstream::tryEmitNext);
                        runAll(held);
                        events.subList(written, queued).forEach(upstream::tryEmitNext);
                    })
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
            runAll(held);
            events.subList(queued, events.size()).forEach(ObjectWriteOperatorTest::release);
        }
        assertThat(made).allMatch(b -> b.refCnt() == 0);
        try (Stream<Path> left = Files.walk(repoPath.resolve("tmp"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private static void release(TarEvent event) {
        if (event instanceof TarEvent.Content c) {
            c.release();
        }
    }

    @Test
    void contentShorterThanItsHeaderSaysFailsTheStageWithATypedError() {
        TarEntry e = entry("short", TarEntryType.REGULAR, 10, 0644, null);
        ByteBuf five = Unpooled.copiedBuffer("12345", StandardCharsets.UTF_8);
        made.add(five);
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), RepoMode.BARE_USER_ONLY)) {
            StepVerifier.create(repo.transaction(WriteOptions.defaults(), tx -> Flux.just(new TarEvent.Entry(e),
                            new TarEvent.Content(five), new TarEvent.EntryEnd(e)).transform(tx.writeObjects()).then()))
                    .expectError(ContentSizeMismatchException.class)
                    .verify(Duration.ofSeconds(10));
        }
        assertThat(five.refCnt()).isZero();
    }

    @Test
    void subscribedFromAParallelThreadTheStageNeverBlocksIt() {
        List<TarEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.addAll(file("f" + i, ("content " + (i % 20)).getBytes(StandardCharsets.UTF_8), 3));
        }
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), RepoMode.BARE_USER)) {
            // BlockHound fails a file-system call made on the parallel thread
            StepVerifier.create(repo.transaction(WriteOptions.defaults(),
                            tx -> Flux.fromIterable(events).publishOn(Schedulers.parallel(), 8)
                                    .transform(tx.writeObjects()).count())
                            .subscribeOn(Schedulers.parallel()))
                    .expectNext(200L)
                    .verifyComplete();
        }
        assertThat(made).allMatch(b -> b.refCnt() == 0);
    }

    private static void runAll(ConcurrentLinkedQueue<Runnable> held) {
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }
}
