package dev.ocitree.operators.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class DigestsTest {

    @TempDir
    Path dir;

    private String sha256sum(byte[] data) throws IOException {
        Path file = dir.resolve("blob");
        Files.write(file, data);
        String line = PeerTools.runOk(dir, "sha256sum", "blob");
        return "sha256:" + line.substring(0, 64);
    }

    private static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void sha256InPassingEqualsSha256sumForEverySlicing() throws IOException {
        byte[] data = data(300_000);
        String expected = sha256sum(data);
        for (Memory memory : Memory.values()) {
            for (Flux<ByteBuf> chunks : List.of(new ByteBufChunks(memory).cutAt(data, 1, 2, 77_777),
                    new ByteBufChunks(memory).randomSlices(data, new Random(1), 9000))) {
                AtomicReference<String> digest = new AtomicReference<>();
                byte[] out = ByteBufChunks.drain(chunks.transform(Digests.sha256(digest::set)));
                assertThat(out).isEqualTo(data);
                assertThat(digest.get()).isEqualTo(expected);
            }
        }
        assertThat(Digests.sha256(data)).isEqualTo(expected);
        assertThat(Digests.sha256(new byte[0])).isEqualTo(sha256sum(new byte[0]));
    }

    @Test
    void verifyPassesTheSameBuffersThroughAndCompletesOnAMatch() throws IOException {
        byte[] data = data(50_000);
        ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
        List<ByteBuf> seen = new ArrayList<>();
        Flux<ByteBuf> verified = chunks.slices(data, 4096)
                .transform(Digests.verify(sha256sum(data), "blob"))
                .publishOn(Schedulers.parallel());
        StepVerifier.create(verified.doOnNext(buf -> {
            seen.add(buf);
            buf.release();
        })).expectNextCount(13).verifyComplete();
        assertThat(seen).usingElementComparator((a, b) -> a == b ? 0 : 1)
                .containsExactlyElementsOf(chunks.handedOut());
    }

    @Test
    void verifyFailsAtTheEndWithBothDigestsOnAMismatch() throws IOException {
        byte[] data = data(10_000);
        String wrong = sha256sum(data(10_001));
        ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
        StepVerifier.create(chunks.slices(data, 3000).transform(Digests.verify(wrong, "layer sha256:abc"))
                        .doOnNext(ByteBuf::release))
                .expectNextCount(4)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DigestMismatchException.class).hasMessageContaining("layer sha256:abc");
                    DigestMismatchException m = (DigestMismatchException) e;
                    assertThat(m.expected()).isEqualTo(wrong);
                    try {
                        assertThat(m.actual()).isEqualTo(sha256sum(data));
                    } catch (IOException io) {
                        throw new AssertionError(io);
                    }
                })
                .verify();
    }

    @Test
    void malformedExpectedDigestIsRejectedUpFront() {
        for (String bad : new String[] {"sha256:abc", "md5:0123", "SHA256:" + "a".repeat(64), "sha256:" + "A".repeat(64),
            null}) {
            assertThatThrownBy(() -> Digests.verify(bad, "manifest")).isInstanceOf(InvalidDigestException.class)
                    .hasMessageContaining("manifest");
        }
    }

    @Test
    void cancellingReleasesNothingTwiceAndLeavesOwnershipWithTheSubscriber() {
        ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
        StepVerifier.create(chunks.slices(data(10_000), 1000).transform(Digests.sha256(d -> {
            throw new AssertionError("no digest after cancel");
        })).doOnNext(ByteBuf::release), 2).expectNextCount(2).thenCancel().verify();
        assertThat(chunks.handedOut()).hasSize(2).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }
}
