package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The blob writer releases each chunk exactly once and names the blob by what sha256sum computes. */
class BlobWriterTest {

    @Test
    void eachChunkIsReleasedExactlyOnceAndTheBlobIsNamedByItsDigest(@TempDir Path tmp) throws Exception {
        List<ByteBuf> chunks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ByteBuf b = Unpooled.buffer(1000);
            b.writeBytes(("chunk " + i + " ").repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 1000);
            chunks.add(b.retain());          // refCnt 2: the writer's release must leave exactly 1
        }
        Scheduler io = Schedulers.newBoundedElastic(2, 100, "blob-test-io");
        try {
            BlobWriter.Blob blob = BlobWriter.toBlob(tmp.resolve("sha256"), Flux.fromIterable(chunks), io).block();
            assertThat(chunks).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));
            Path file = tmp.resolve("sha256").resolve(blob.digest().substring(7));
            assertThat(blob.size()).isEqualTo(50_000).isEqualTo(Files.size(file));
            String sum = dev.ocitree.testsupport.PeerTools.runOk(tmp, "sha256sum", file.toString()).split(" ")[0];
            assertThat(blob.digest()).isEqualTo("sha256:" + sum);
            try (Stream<Path> s = Files.list(tmp.resolve("sha256"))) {
                assertThat(s).containsExactly(file);
            }
        } finally {
            chunks.stream().filter(b -> b.refCnt() > 0).forEach(b -> b.release(b.refCnt()));
            io.dispose();
        }
    }
}
