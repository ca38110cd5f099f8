package dev.ocitree.operators.compress;

import static dev.ocitree.operators.compress.PeerCodec.concat;
import static dev.ocitree.operators.compress.PeerCodec.realistic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class GzipDecompressionTest {

    private static final Function<Flux<ByteBuf>, Flux<ByteBuf>> GZIP = Decompressors.gzip(StreamLimits.defaults());

    @TempDir
    Path dir;
    private PeerCodec peer;

    @BeforeEach
    void setUp() {
        peer = new PeerCodec(dir);
    }

    @Test
    void gzipCliOutputDecodesAtEverySplitPointAndBytewise() {
        byte[] original = realistic(1500, 1);
        byte[] gz = peer.pipe(original, "gzip -c -9");
        Feeding.atEverySplitPoint(GZIP, gz, original);
        Feeding.bytewise(GZIP, gz, original);
    }

    @Test
    void largeGzipOutputInRandomSlicesEqualsWhatGzipDecodes() {
        byte[] original = realistic(1 << 20, 2);
        byte[] gz = peer.pipe(original, "gzip -c -6");
        byte[] byTool = peer.pipe(gz, "gzip -dc");
        Feeding.assertSame(byTool, original, "gzip -dc");
        Feeding.inRandomSlices(GZIP, gz, byTool);
    }

    @Test
    void pigzOutputDecodesLikeGzip() {
        byte[] original = realistic(1 << 20, 3);
        for (String command : new String[] {"pigz -c -p 2 -b 128", "pigz -c -p 2 -i -b 128", "pigz -c -1 -p 2"}) {
            byte[] gz = peer.pipe(original, command);
            Feeding.assertSame(peer.pipe(gz, "gzip -dc"), original, "gzip -dc of " + command);
            Feeding.inRandomSlices(GZIP, gz, original);
        }
    }

    @Test
    void concatenatedMembersDecodeToTheEndLikeGzip() {
        byte[] a = realistic(500, 4);
        byte[] b = realistic(300, 5);
        byte[] c = realistic(100_000, 6);
        byte[] members = concat(peer.pipe(a, "gzip -c"), peer.pipe(new byte[0], "gzip -c"), peer.pipe(b, "pigz -c"),
                peer.pipe(c, "gzip -c -1"));
        byte[] byTool = peer.pipe(members, "gzip -dc");
        Feeding.assertSame(byTool, concat(a, b, c), "gzip -dc of cat a.gz empty.gz b.gz c.gz");
        Feeding.inRandomSlices(GZIP, members, byTool);
        byte[] small = concat(peer.pipe(b, "gzip -c"), peer.pipe(a, "gzip -c"));
        Feeding.atEverySplitPoint(GZIP, small, concat(b, a));
    }

    @Test
    void eStargzLikeMembersWithExtraNameCommentAndHeaderCrcDecodeLikeGzip() {
        byte[] a = realistic(600, 7);
        byte[] b = realistic(300, 8);
        byte[] footer = new byte[0];
        byte[] stream = concat(member(a, "layer/a.txt", "first entry", new byte[] {'S', 'G', 4, 0, 1, 2, 3, 4}),
                peer.pipe(b, "gzip -c"), member(footer, null, null, new byte[] {'S', 'G', 2, 0, 9, 9}));
        byte[] byTool = peer.pipe(stream, "gzip -dc");
        Feeding.assertSame(byTool, concat(a, b), "gzip -dc of hand-made members");
        Feeding.atEverySplitPoint(GZIP, stream, byTool);
    }

    @Test
    void trailingZeroPaddingIsIgnoredAsGzipDoes() {
        byte[] original = realistic(5000, 9);
        byte[] padded = concat(peer.pipe(original, "gzip -c"), new byte[1024]);
        byte[] byTool = peer.pipe(padded, "gzip -dc", 2);
        Feeding.assertSame(byTool, original, "gzip -dc of zero-padded stream");
        Feeding.atEverySplitPoint(GZIP, concat(peer.pipe(realistic(200, 10), "gzip -c"), new byte[5]),
                realistic(200, 10));
        Feeding.inRandomSlices(GZIP, padded, original);
    }

    @Test
    void trailingGarbageIsCorruption() {
        byte[] garbage = concat(peer.pipe(realistic(5000, 11), "gzip -c"), "garbage".getBytes(StandardCharsets.US_ASCII));
        assertThat(peer.exitCode(garbage, "gzip -t")).as("gzip -t on trailing garbage").isNotZero();
        assertCorrupt(garbage, "trailing garbage");
    }

    @Test
    void truncatedStreamsAreCorruptWhereGzipFails() {
        byte[] original = realistic(20_000, 12);
        byte[] gz = peer.pipe(original, "gzip -c -N");
        for (int length : new int[] {1, 2, 5, 9, 10, 11, gz.length / 2, gz.length - 8, gz.length - 4, gz.length - 1}) {
            byte[] truncated = Arrays.copyOf(gz, length);
            assertThat(peer.exitCode(truncated, "gzip -t")).as("gzip -t on %d of %d bytes", length, gz.length)
                    .isNotZero();
            CorruptStreamException e = assertCorrupt(truncated, "truncated");
            assertThat(e.offset()).isBetween(0L, (long) length);
        }
        assertCorrupt(new byte[0], "empty input");
    }

    @Test
    void wrongCrcOrSizeInTrailerIsCorruptionAsGzipSays() {
        byte[] gz = peer.pipe(realistic(8000, 13), "gzip -c");
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        assertThat(peer.exitCode(badCrc, "gzip -t")).isNotZero();
        assertCorrupt(badCrc, "CRC32 mismatch");
        byte[] badSize = gz.clone();
        badSize[gz.length - 4] ^= 1;
        assertThat(peer.exitCode(badSize, "gzip -t")).isNotZero();
        assertCorrupt(badSize, "ISIZE mismatch");
    }

    @Test
    void damagedDeflateDataOrHeaderIsCorruption() {
        byte[] gz = peer.pipe(realistic(8000, 14), "gzip -c");
        byte[] badBody = gz.clone();
        badBody[12] = (byte) 0xff;
        badBody[13] = (byte) 0xff;
        assertThat(peer.exitCode(badBody, "gzip -t")).isNotZero();
        CorruptStreamException e = assertCorrupt(badBody, "");
        assertThat(e.format()).isEqualTo(Compression.GZIP);
        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        assertCorrupt(badMethod, "compression method");
        byte[] bad = member(new byte[] {1, 2, 3}, "x", null, null);
        int hcrc = 10 + 2; // the header CRC follows the fixed header and "x\0"
        bad[hcrc] ^= 1;
        assertThat(peer.exitCode(bad, "gzip -t")).as("gzip -t on a bad header CRC").isNotZero();
        assertCorrupt(bad, "header CRC16");
    }

    @Test
    void failedDecoderStaysFailed() {
        GzipDecoder decoder = new GzipDecoder("layer", StreamLimits.defaults());
        try {
            decoder.accept(new ByteBufChunks(Memory.HEAP).chunk(new byte[] {0x1f, 0x7f, 0, 0}, 0, 4));
            assertThatThrownBy(decoder::poll).isInstanceOf(CorruptStreamException.class).hasMessageContaining("layer");
            ByteBufChunks later = new ByteBufChunks(Memory.HEAP);
            decoder.accept(later.chunk(new byte[] {0x1f, (byte) 0x8b}, 0, 2));
            assertThatThrownBy(decoder::poll).isInstanceOf(CorruptStreamException.class);
            Feeding.assertReleased(later);
        } finally {
            decoder.close();
        }
    }

    private CorruptStreamException assertCorrupt(byte[] input, String messagePart) {
        for (Memory memory : Memory.values()) {
            ByteBufChunks chunks = new ByteBufChunks(memory);
            Flux<ByteBuf> out = chunks.slices(input, 1000).transform(GZIP);
            assertThatThrownBy(() -> ByteBufChunks.drain(out)).isInstanceOf(CorruptStreamException.class)
                    .hasMessageContaining(messagePart);
            Feeding.assertReleased(chunks);
        }
        try {
            ByteBufChunks.drain(new ByteBufChunks(Memory.HEAP).slices(input, 1000).transform(GZIP));
        } catch (CorruptStreamException e) {
            assertThat(e.format()).isEqualTo(Compression.GZIP);
            return e;
        }
        throw new AssertionError("no error");
    }

    /** A gzip member with FHCRC and, when given, FNAME, FCOMMENT, FEXTRA; body deflated by the JDK. */
    static byte[] member(byte[] content, String name, String comment, byte[] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int flags = 0x01 | 0x02 | (extra != null ? 0x04 : 0) | (name != null ? 0x08 : 0) | (comment != null ? 0x10 : 0);
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, 3});
        if (extra != null) {
            out.write(extra.length & 0xff);
            out.write(extra.length >> 8);
            out.writeBytes(extra);
        }
        if (name != null) {
            out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        if (comment != null) {
            out.writeBytes(comment.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        CRC32 headerCrc = new CRC32();
        headerCrc.update(out.toByteArray());
        out.write((int) headerCrc.getValue() & 0xff);
        out.write((int) (headerCrc.getValue() >> 8) & 0xff);
        Deflater deflater = new Deflater(6, true);
        deflater.setInput(content);
        deflater.finish();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(content);
        for (long v : new long[] {crc.getValue(), content.length}) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }
}
