package dev.ocitree.operators.compress;

import static dev.ocitree.operators.compress.PeerCodec.concat;
import static dev.ocitree.operators.compress.PeerCodec.realistic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class ZstdDecompressionTest {

    private static final Function<Flux<ByteBuf>, Flux<ByteBuf>> ZSTD = Decompressors.zstd(StreamLimits.defaults());

    @TempDir
    Path dir;
    private PeerCodec peer;

    @BeforeEach
    void setUp() {
        peer = new PeerCodec(dir);
    }

    @Test
    void zstdCliOutputDecodesAtEverySplitPointAndBytewise() {
        byte[] original = realistic(1500, 21);
        byte[] zst = peer.pipe(original, "zstd -q -c -19");
        Feeding.atEverySplitPoint(ZSTD, zst, original);
        Feeding.bytewise(ZSTD, zst, original);
    }

    @Test
    void largeZstdOutputsInRandomSlicesEqualWhatZstdDecodes() {
        byte[] original = realistic(1 << 20, 22);
        for (String command : new String[] {"zstd -q -c -3", "zstd -q -c --no-check -1", "zstd -q -c -T2 -19 --long=24",
            "zstd -q -c --content-size --rsyncable"}) {
            byte[] zst = peer.pipe(original, command);
            Feeding.assertSame(peer.pipe(zst, "zstd -q -dc"), original, "zstd -dc of " + command);
            Feeding.inRandomSlices(ZSTD, zst, original);
        }
    }

    @Test
    void consecutiveAndSkippableFramesDecodeToTheEndLikeZstd() {
        byte[] a = realistic(400, 23);
        byte[] b = realistic(200_000, 24);
        byte[] stream = concat(skippable(0, "eStargz TOC?"), peer.pipe(a, "zstd -q -c"), skippable(5, ""),
                peer.pipe(new byte[0], "zstd -q -c"), peer.pipe(b, "zstd -q -c -9"), skippable(15, "tail"));
        byte[] byTool = peer.pipe(stream, "zstd -q -dc");
        Feeding.assertSame(byTool, concat(a, b), "zstd -dc of frames and skippable frames");
        Feeding.inRandomSlices(ZSTD, stream, byTool);
        byte[] small = concat(peer.pipe(a, "zstd -q -c"), skippable(1, "xyz"), peer.pipe(a, "zstd -q -c"));
        Feeding.atEverySplitPoint(ZSTD, small, concat(a, a));
    }

    @Test
    void truncatedStreamsAreCorruptWhereZstdFails() {
        byte[] zst = peer.pipe(realistic(30_000, 25), "zstd -q -c");
        for (int length : new int[] {1, 3, 4, 6, zst.length / 2, zst.length - 4, zst.length - 1}) {
            byte[] truncated = Arrays.copyOf(zst, length);
            assertThat(peer.exitCode(truncated, "zstd -q -t")).as("zstd -t on %d of %d bytes", length, zst.length)
                    .isNotZero();
            assertCorrupt(truncated, "");
        }
        byte[] cutSkippable = Arrays.copyOf(concat(zst, skippable(0, "abcdef")), zst.length + 10);
        assertThat(peer.exitCode(cutSkippable, "zstd -q -t")).isNotZero();
        assertCorrupt(cutSkippable, "truncated");
        assertCorrupt(new byte[0], "empty");
    }

    @Test
    void damagedContentOrChecksumIsCorruptionAsZstdSays() {
        byte[] zst = peer.pipe(realistic(30_000, 26), "zstd -q -c --check");
        byte[] badChecksum = zst.clone();
        badChecksum[zst.length - 1] ^= 1;
        assertThat(peer.exitCode(badChecksum, "zstd -q -t")).isNotZero();
        assertCorrupt(badChecksum, "checksum");
        byte[] garbageAfter = concat(zst, "junk".getBytes(StandardCharsets.US_ASCII));
        assertThat(peer.exitCode(garbageAfter, "zstd -q -t")).isNotZero();
        assertCorrupt(garbageAfter, "");
    }

    private void assertCorrupt(byte[] input, String messagePart) {
        for (Memory memory : Memory.values()) {
            ByteBufChunks chunks = new ByteBufChunks(memory);
            Flux<ByteBuf> out = chunks.slices(input, 1000).transform(ZSTD);
            assertThatThrownBy(() -> ByteBufChunks.drain(out)).isInstanceOfSatisfying(CorruptStreamException.class,
                    e -> assertThat(e.format()).isEqualTo(Compression.ZSTD)).hasMessageContaining(messagePart);
            Feeding.assertReleased(chunks);
        }
    }

    /** A skippable frame (magic 0x184D2A5n) around {@code payload}, as zstd's format allows. */
    static byte[] skippable(int n, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[8 + body.length];
        frame[0] = (byte) (0x50 + n);
        frame[1] = 0x2a;
        frame[2] = 0x4d;
        frame[3] = 0x18;
        frame[4] = (byte) body.length;
        System.arraycopy(body, 0, frame, 8, body.length);
        return frame;
    }
}
