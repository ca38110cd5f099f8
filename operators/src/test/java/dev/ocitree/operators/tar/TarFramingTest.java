package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TarFraming}: the framing the parser reports plus the bodies it emits rebuild the archive
 * byte for byte (what an image round trip needs), for real archives of GNU tar (gnu with long names,
 * posix with xattrs and its atime/ctime pax headers, the default 10 KiB record padding with garbage
 * after it), bsdtar (pax) and Python (pax with a global header, devices), cut in random chunks and
 * from every allocator; framing and bodies never overlap.
 */
class TarFramingTest {

    @TempDir
    static Path work;
    static List<byte[]> archives = new ArrayList<>();

    @BeforeAll
    static void archives() {
        Path tree = TarTools.tree(work, "full");
        archives.add(TarTools.read(TarTools.gnuTar(tree, work, "gnu", "-b1")));
        archives.add(TarTools.read(TarTools.gnuTar(tree, work, "posix", "--xattrs", "-b1")));
        byte[] padded = TarTools.read(TarTools.gnuTar(tree, work, "gnu"));
        byte[] garbage = "garbage after the end-of-archive blocks".getBytes(StandardCharsets.US_ASCII);
        byte[] withGarbage = new byte[padded.length + garbage.length];
        System.arraycopy(padded, 0, withGarbage, 0, padded.length);
        System.arraycopy(garbage, 0, withGarbage, padded.length, garbage.length);
        archives.add(withGarbage);
        archives.add(TarTools.read(TarTools.bsdtar(tree, work, "pax")));
        archives.add(TarTools.read(TarTools.pythonTar(work, "pax")));
    }

    @Test
    void framingPlusBodiesRebuildEveryArchiveByteForByte() {
        for (byte[] archive : archives) {
            for (ChunkPlan plan : List.of(ChunkPlan.random(7, 3000, ChunkPlan.Kind.HEAP),
                    ChunkPlan.random(11, 700, ChunkPlan.Kind.POOLED_DIRECT), ChunkPlan.fixed(65536, ChunkPlan.Kind.DIRECT))) {
                Rebuild rebuild = new Rebuild();
                ByteArrayOutputStream bodies = new ByteArrayOutputStream();
                long[] regularWithContent = {0};
                plan.chunks(archive).transform(TarParser.parse(StreamLimits.defaults(), rebuild))
                        .doOnNext(e -> {
                            if (e instanceof TarEvent.Content c) {
                                ByteBuf data = c.data();
                                byte[] b = new byte[data.readableBytes()];
                                data.getBytes(data.readerIndex(), b);
                                bodies.writeBytes(b);
                                c.release();
                            } else if (e instanceof TarEvent.Entry entry && entry.entry().size() > 0) {
                                regularWithContent[0]++;
                            }
                        }).blockLast();
                assertThat(rebuild.bodySizes).hasSize((int) regularWithContent[0]);
                assertThat(rebuild.framingBytes + bodies.size()).as(plan.name()).isEqualTo(archive.length);
                assertThat(rebuild.rebuild(bodies.toByteArray())).as(plan.name()).isEqualTo(archive);
            }
        }
    }

    /** Records framing bytes and body positions; rebuilds the stream from them and the bodies in order. */
    private static final class Rebuild implements TarFraming {
        final List<Object> parts = new ArrayList<>();
        final List<Long> bodySizes = new ArrayList<>();
        long framingBytes;

        @Override
        public void framing(byte[] bytes, int offset, int length) {
            framingBytes += length;
            parts.add(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        }

        @Override
        public void framing(ByteBuf bytes) {
            byte[] b = new byte[bytes.readableBytes()];
            bytes.getBytes(bytes.readerIndex(), b);
            framing(b, 0, b.length);
        }

        @Override
        public void body(TarEntry entry) {
            assertThat(entry.size()).isPositive();
            bodySizes.add(entry.size());
            parts.add(entry.size());
        }

        byte[] rebuild(byte[] bodies) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            for (Object p : parts) {
                if (p instanceof byte[] b) {
                    out.writeBytes(b);
                } else {
                    int n = (int) (long) (Long) p;
                    out.write(bodies, at, n);
                    at += n;
                }
            }
            assertThat(at).isEqualTo(bodies.length);
            return out.toByteArray();
        }
    }
}
