package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.operators.compress.Decompressors;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar stage composed with decompression, as a layer is read: a GNU tar archive compressed by the
 * gzip, pigz, zstd and lz4 command-line tools is decompressed by our stages, parsed, and equals
 * Python tarfile's listing of the uncompressed archive.
 */
class CompressedLayerTest {

    @TempDir
    static Path work;
    static Path tar;
    static List<Listed> expected;

    @BeforeAll
    static void archive() {
        tar = TarTools.gnuTar(TarTools.tree(work, "full"), work, "posix", "--xattrs");
        expected = TarTools.pythonListing(tar);
    }

    private static void assertLayerParses(Path compressed, Compression compression) {
        StreamLimits limits = StreamLimits.defaults();
        List<Listed> parsed = Listed.parse(
                ChunkPlan.random(11, 20_000, ChunkPlan.Kind.POOLED_DIRECT).chunks(TarTools.read(compressed))
                        .transform(Decompressors.of(compression, limits)),
                limits);
        assertThat(parsed).as("%s", compressed.getFileName()).containsExactlyElementsOf(expected);
    }

    @Test
    void gzipLayer() {
        PeerTools.runOk(work, "gzip", "-k", "-f", "-6", tar.toString());
        assertLayerParses(Path.of(tar + ".gz"), Compression.GZIP);
    }

    @Test
    void pigzLayer() {
        Path out = work.resolve("pigz.tar.gz");
        PeerTools.runOk(work, "sh", "-c", "pigz -c -p 2 -b 128 '" + tar + "' > '" + out + "'");
        assertLayerParses(out, Compression.GZIP);
    }

    @Test
    void zstdLayer() {
        Path out = work.resolve("layer.tar.zst");
        PeerTools.runOk(work, "zstd", "-q", "-f", "-3", tar.toString(), "-o", out.toString());
        assertLayerParses(out, Compression.ZSTD);
    }

    @Test
    void lz4Layer() {
        Path out = work.resolve("layer.tar.lz4");
        PeerTools.runOk(work, "lz4", "-q", "-f", tar.toString(), out.toString());
        assertLayerParses(out, Compression.LZ4);
    }
}
