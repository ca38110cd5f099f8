package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Streamed writes and reads driven from non-blocking threads (BlockHound fails the test if any
 * file I/O happens there), concurrent writers of one object, and a round trip that the real
 * {@code ostree} confirms: the object ocitree names has the checksum ostree computes.
 */
class StreamingWriteTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void streamedFromParallelThreadsConcurrentlyAndConfirmedByOstree(RepoMode mode) throws Exception {
        byte[] data = new byte[700_000];
        new Random(42).nextBytes(data);
        FileMeta meta = FileMeta.regular(0, 0, 0755, Xattrs.empty());
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), mode)) {
            List<Checksum> sums = Flux.range(0, 8)
                    .flatMap(i -> repo.writeFile(meta, data.length, chunks(data, 8192 + i))
                            .subscribeOn(Schedulers.parallel()))
                    .collectList().block();
            assertThat(sums).hasSize(8).containsOnly(sums.get(0));
            Checksum c = sums.get(0);
            assertThat(repo.has(ObjectType.FILE, c).block()).isTrue();

            ByteArrayOutputStream back = new ByteArrayOutputStream();
            repo.readFileContent(c).publishOn(Schedulers.parallel(), 2).doOnNext(b -> {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                back.writeBytes(bytes);
            }).blockLast();
            assertThat(back.toByteArray()).isEqualTo(data);
            assertThat(BadInputTest.tempFiles(repo.path())).isEmpty();

            // ostree names the same bytes the same way: commit a directory holding them
            Path tree = Files.createDirectories(dir.resolve("tree"));
            Files.write(tree.resolve("blob"), data);
            AtomicFiles.chmod(tree.resolve("blob"), 0755);
            PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo.path(), "--tree=dir=" + tree, "-b", "t");
            String ls = PeerTools.runOk(dir, "ostree", "ls", "-C", "--repo=" + repo.path(), "t", "/blob");
            assertThat(ls).contains(c.hex());
            assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + repo.path())).contains("no errors found");
        }
    }

    /** The data as chunks of {@code size} bytes, allocated on demand on a parallel thread. */
    private static Flux<ByteBuf> chunks(byte[] data, int size) {
        return Flux.range(0, (data.length + size - 1) / size)
                .publishOn(Schedulers.parallel())
                .map(i -> Unpooled.copiedBuffer(data, i * size, Math.min(size, data.length - i * size)));
    }
}
