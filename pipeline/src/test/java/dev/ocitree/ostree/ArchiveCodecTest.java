package dev.ocitree.ostree;

import static dev.ocitree.ostree.VectorTreeBuilder.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.OcitreeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** {@code .filez} encoding and decoding beyond the vectors: chunking, every split point, damage. */
class ArchiveCodecTest {

    /** {@code /hello.txt} of vector A as ostree stored it. */
    private static byte[] helloFilez() {
        return resource("a-archive/d54de4d5e87b.filez.bin");
    }

    private static byte[] sample(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (r.nextInt(5) == 0 ? r.nextInt(256) : 'a' + r.nextInt(6));
        }
        return b;
    }

    @Test
    void encodingDoesNotDependOnHowTheContentIsChunked() {
        byte[] content = sample(300_000, 1);
        FileMeta meta = FileMeta.regular(1000, 1000, 0755, null);
        byte[] whole = ArchiveFileEncoder.encode(meta, content, ArchiveFileEncoder.DEFAULT_LEVEL);
        Random r = new Random(2);
        ByteBuf out = Unpooled.buffer();
        try (ArchiveFileEncoder enc = new ArchiveFileEncoder(meta, content.length, ArchiveFileEncoder.DEFAULT_LEVEL)) {
            ByteBuf header = enc.header();
            out.writeBytes(header);
            header.release();
            for (int pos = 0; pos < content.length; ) {
                int n = Math.min(content.length - pos, 1 + r.nextInt(20_000));
                ByteBuf chunk = chunk(content, pos, n, r.nextInt(3));
                int readerIndex = chunk.readerIndex();
                enc.update(chunk, out);
                assertThat(chunk.readerIndex()).as("reader index untouched").isEqualTo(readerIndex);
                chunk.release();
                pos += n;
            }
            enc.finish(out);
            byte[] streamed = new byte[out.readableBytes()];
            out.readBytes(streamed);
            assertThat(streamed).isEqualTo(whole);
        } finally {
            out.release();
        }
        assertThat(ArchiveFileDecoder.decode(whole, "sample").content()).isEqualTo(content);
    }

    /** heap, direct, or a composite of two pieces. */
    private static ByteBuf chunk(byte[] content, int pos, int n, int kind) {
        return switch (kind) {
            case 0 -> Unpooled.buffer(n).writeBytes(content, pos, n);
            case 1 -> Unpooled.directBuffer(n).writeBytes(content, pos, n);
            default -> {
                CompositeByteBuf c = Unpooled.compositeBuffer();
                int half = n / 2;
                c.addComponent(true, Unpooled.directBuffer(half).writeBytes(content, pos, half));
                c.addComponent(true, Unpooled.buffer(n - half).writeBytes(content, pos + half, n - half));
                yield c;
            }
        };
    }

    @Test
    void decodingSucceedsAtEverySplitPoint() {
        byte[] filez = helloFilez();
        ArchiveFileDecoder.Decoded expected = ArchiveFileDecoder.decode(filez, "hello");
        assertThat(new String(expected.content(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Hello, OSTree!\n");
        for (int split = 0; split <= filez.length; split++) {
            ByteBuf out = Unpooled.buffer();
            try (ArchiveFileDecoder d = new ArchiveFileDecoder("hello")) {
                ByteBuf a = Unpooled.wrappedBuffer(filez, 0, split);
                ByteBuf b = Unpooled.directBuffer().writeBytes(filez, split, filez.length - split);
                d.update(a, out);
                d.update(b, out);
                a.release();
                b.release();
                d.finish();
                assertThat(d.meta()).isEqualTo(expected.meta());
                assertThat(d.size()).isEqualTo(15);
                byte[] content = new byte[out.readableBytes()];
                out.readBytes(content);
                assertThat(content).isEqualTo(expected.content());
            } finally {
                out.release();
            }
        }
    }

    @Test
    void everyLevelDecodesAndLevelZeroIsStoredBlocks() {
        byte[] content = sample(70_000, 3);
        FileMeta meta = FileMeta.regular(0, 0, 0644, null);
        for (int level = 0; level <= 9; level++) {
            byte[] filez = ArchiveFileEncoder.encode(meta, content, level);
            assertThat(ArchiveFileDecoder.decode(filez, "level " + level).content()).isEqualTo(content);
            if (level == 0) {
                assertThat(filez.length).isGreaterThan(content.length);
            }
        }
        assertThatThrownBy(() -> new ArchiveFileEncoder(meta, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symlinksHaveNoPayloadAndEmptyFilesHaveAnEmptyDeflateStream() {
        FileMeta link = FileMeta.symlink(0, 0, "hello.txt", null);
        byte[] filez = ArchiveFileEncoder.encode(link, new byte[0], 6);
        assertThat(filez).isEqualTo(resource("a-archive/f66efa496a72.filez.bin"));
        assertThat(Arrays.copyOfRange(filez, filez.length - 2, filez.length)).isNotEqualTo(new byte[] {3, 0});
        byte[] empty = ArchiveFileEncoder.encode(FileMeta.regular(0, 0, 0644, null), new byte[0], 6);
        assertThat(Arrays.copyOfRange(empty, empty.length - 2, empty.length)).containsExactly(3, 0);
        assertThatThrownBy(() -> new ArchiveFileEncoder(link, 1, 6)).isInstanceOf(OstreeFormatException.class);
    }

    @Test
    void encoderRefusesContentOfTheWrongSize() {
        FileMeta meta = FileMeta.regular(0, 0, 0644, null);
        ByteBuf out = Unpooled.buffer();
        ByteBuf three = Unpooled.wrappedBuffer(new byte[3]);
        try (ArchiveFileEncoder enc = new ArchiveFileEncoder(meta, 2, 6)) {
            assertThatThrownBy(() -> enc.update(three, out)).isInstanceOf(OstreeFormatException.class)
                    .hasMessageContaining("longer than its declared size 2");
        }
        try (ArchiveFileEncoder enc = new ArchiveFileEncoder(meta, 4, 6)) {
            enc.update(three, out);
            assertThatThrownBy(() -> enc.finish(out)).isInstanceOf(OstreeFormatException.class)
                    .hasMessageContaining("after 3 of its declared 4");
        } finally {
            three.release();
            out.release();
        }
    }

    @Test
    void everyTruncationIsATypedError() {
        byte[] filez = helloFilez();
        for (int len = 0; len < filez.length; len++) {
            byte[] cut = Arrays.copyOf(filez, len);
            assertThatThrownBy(() -> ArchiveFileDecoder.decode(cut, "cut")).isInstanceOf(OcitreeException.class)
                    .hasMessageContaining("cut");
        }
    }

    @Test
    void damagedObjectsAreTypedErrors() throws Exception {
        byte[] content = "Hello, OSTree!\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FileMeta meta = FileMeta.regular(0, 0, 0644, null);
        byte[] header = meta.archiveHeader(content.length);

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(content);
        }
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(VectorTreeBuilder.concat(header, gz.toByteArray()), "gz"))
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining("invalid compressed data");
        Deflater zlib = new Deflater(6, false);
        zlib.setInput(content);
        zlib.finish();
        byte[] z = new byte[100];
        int n = zlib.deflate(z);
        zlib.end();
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(VectorTreeBuilder.concat(header, Arrays.copyOf(z, n)), "zlib"))
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining("zlib");

        byte[] good = helloFilez();
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(trailing, "trailing")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("after the end");
        byte[] wrongSize = ArchiveFileEncoder.encode(meta, content, 6);
        wrongSize[15] = 16; // size field (big-endian u64 at offset 8) now 16, payload inflates to 15
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(wrongSize, "size")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("declares 16");
        byte[] rdev = good.clone();
        rdev[31] = 1; // rdev, last byte of the fifth fixed field
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(rdev, "rdev")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("invalid rdev");
        byte[] device = good.clone();
        device[26] = 0x21; // mode 0020644: character device
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(device, "dev")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("character device");
        byte[] link = resource("a-archive/f66efa496a72.filez.bin");
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(VectorTreeBuilder.concat(link, new byte[] {3, 0}), "link"))
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining("unexpected");
        byte[] hugeHeader = good.clone();
        hugeHeader[0] = 0x7f;
        assertThatThrownBy(() -> ArchiveFileDecoder.decode(hugeHeader, "huge")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("header length");
    }
}
