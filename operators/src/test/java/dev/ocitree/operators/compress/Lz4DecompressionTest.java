package dev.ocitree.operators.compress;

import static dev.ocitree.operators.compress.PeerCodec.concat;
import static dev.ocitree.operators.compress.PeerCodec.realistic;
import static dev.ocitree.operators.compress.ZstdDecompressionTest.skippable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class Lz4DecompressionTest {

    private static final Function<Flux<ByteBuf>, Flux<ByteBuf>> LZ4 = Decompressors.lz4(StreamLimits.defaults());

    @TempDir
    Path dir;
    private PeerCodec peer;

    @BeforeEach
    void setUp() {
        peer = new PeerCodec(dir);
    }

    @Test
    void lz4CliOutputDecodesAtEverySplitPointAndBytewise() {
        byte[] original = realistic(1200, 31);
        for (String command : new String[] {"lz4 -q -c", "lz4 -q -c -BD -BX --content-size"}) {
            byte[] lz4 = peer.pipe(original, command);
            Feeding.atEverySplitPoint(LZ4, lz4, original);
            Feeding.bytewise(LZ4, lz4, original);
        }
    }

    @Test
    void everyBlockModeTheCliWritesDecodesLikeLz4() {
        byte[] original = realistic(1 << 20, 32);
        for (String command : new String[] {"lz4 -q -c", "lz4 -q -c -BD", "lz4 -q -c -BX", "lz4 -q -c -B4 -BD -BX",
            "lz4 -q -c -B4 -BI", "lz4 -q -c -B5 -9 -BD", "lz4 -q -c --content-size --no-frame-crc -B6",
            "lz4 -q -c --fast=3 -BD -B4"}) {
            byte[] lz4 = peer.pipe(original, command);
            Feeding.assertSame(peer.pipe(lz4, "lz4 -q -dc"), original, "lz4 -dc of " + command);
            Feeding.inRandomSlices(LZ4, lz4, original);
        }
    }

    @Test
    void incompressibleDataInStoredBlocksDecodes() {
        byte[] noise = new byte[300_000];
        new java.util.Random(33).nextBytes(noise);
        for (String command : new String[] {"lz4 -q -c -B4", "lz4 -q -c -B4 -BD -BX"}) {
            byte[] lz4 = peer.pipe(noise, command);
            Feeding.inRandomSlices(LZ4, lz4, noise);
        }
    }

    @Test
    void consecutiveAndSkippableFramesDecodeToTheEndLikeLz4() {
        byte[] a = realistic(300, 34);
        byte[] b = realistic(300_000, 35);
        byte[] stream = concat(skippable(0, "meta"), peer.pipe(a, "lz4 -q -c"), skippable(9, ""),
                peer.pipe(b, "lz4 -q -c -BD -B4"), skippable(15, "end"));
        byte[] byTool = peer.pipe(stream, "lz4 -q -dc");
        Feeding.assertSame(byTool, concat(a, b), "lz4 -dc of frames and skippable frames");
        Feeding.inRandomSlices(LZ4, stream, byTool);
        Feeding.atEverySplitPoint(LZ4, concat(peer.pipe(a, "lz4 -q -c"), skippable(2, "x"), peer.pipe(a, "lz4 -q -c")),
                concat(a, a));
    }

    @Test
    void truncatedOrDamagedStreamsAreCorruptWhereLz4Fails() {
        byte[] lz4 = peer.pipe(realistic(100_000, 36), "lz4 -q -c -BX -B4");
        for (int length : new int[] {1, 4, 5, 7, 10, lz4.length / 2, lz4.length - 4, lz4.length - 1}) {
            byte[] truncated = Arrays.copyOf(lz4, length);
            assertThat(peer.exitCode(truncated, "lz4 -q -t")).as("lz4 -t on %d of %d bytes", length, lz4.length)
                    .isNotZero();
            assertCorrupt(truncated, "");
        }
        byte[] badContentChecksum = lz4.clone();
        badContentChecksum[lz4.length - 1] ^= 1;
        assertThat(peer.exitCode(badContentChecksum, "lz4 -q -t")).isNotZero();
        assertCorrupt(badContentChecksum, "content checksum");
        byte[] badBlockChecksum = lz4.clone();
        badBlockChecksum[7 + 4 + 100] ^= 1;
        assertThat(peer.exitCode(badBlockChecksum, "lz4 -q -t")).isNotZero();
        assertCorrupt(badBlockChecksum, "block checksum");
        byte[] badHeaderChecksum = lz4.clone();
        badHeaderChecksum[6] ^= 1;
        assertThat(peer.exitCode(badHeaderChecksum, "lz4 -q -t")).isNotZero();
        assertCorrupt(badHeaderChecksum, "descriptor checksum");
    }

    @Test
    void legacyFormatIsRejectedAsUnsupported() {
        byte[] legacy = peer.pipe(realistic(5000, 37), "lz4 -q -c -l");
        assertCorrupt(legacy, "legacy format");
    }

    private void assertCorrupt(byte[] input, String messagePart) {
        for (Memory memory : Memory.values()) {
            ByteBufChunks chunks = new ByteBufChunks(memory);
            Flux<ByteBuf> out = chunks.slices(input, 1000).transform(LZ4);
            assertThatThrownBy(() -> ByteBufChunks.drain(out)).isInstanceOfSatisfying(CorruptStreamException.class,
                    e -> assertThat(e.format()).isEqualTo(Compression.LZ4)).hasMessageContaining(messagePart);
            Feeding.assertReleased(chunks);
        }
    }
}
