package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Archives written by the real tools are parsed to exactly what Python's tarfile lists for them:
 * names, types, sizes, modes, owners, times, link targets, devices, xattrs, header offsets and the
 * SHA-256 of every regular file's content.
 */
class TarParserInteropTest {

    @TempDir
    static Path work;
    static Path fullTree;
    static Path ustarTree;

    @BeforeAll
    static void trees() {
        fullTree = TarTools.tree(work, "full");
        ustarTree = TarTools.tree(work, "ustar");
    }

    private static void assertParsesAsPythonLists(Path archive) {
        List<Listed> expected = TarTools.pythonListing(archive);
        byte[] tar = TarTools.read(archive);
        assertThat(expected).as("python listing of %s", archive).isNotEmpty();
        // parsed on a non-blocking thread: BlockHound fails the test if header decoding ever blocks
        Flux<ByteBuf> onParallel = ChunkPlan.fixed(64 * 1024, ChunkPlan.Kind.POOLED_DIRECT).chunks(tar)
                .subscribeOn(Schedulers.parallel());
        assertThat(Listed.parse(onParallel, StreamLimits.defaults()))
                .as("%s in 64 KiB chunks", archive.getFileName()).containsExactlyElementsOf(expected);
        assertThat(Listed.parse(tar, ChunkPlan.random(7, 3000, ChunkPlan.Kind.HEAP)))
                .as("%s in random chunks", archive.getFileName()).containsExactlyElementsOf(expected);
    }

    @Test
    void gnuTarGnuFormatWithLongNamesAndLinks() {
        assertParsesAsPythonLists(TarTools.gnuTar(fullTree, work, "gnu"));
    }

    @Test
    void gnuTarPosixFormatWithXattrs() {
        Path archive = TarTools.gnuTar(fullTree, work, "posix", "--xattrs");
        assertParsesAsPythonLists(archive);
        assertThat(Listed.byPath(Listed.parse(TarTools.read(archive), ChunkPlan.fixed(4096, ChunkPlan.Kind.HEAP)))
                .get("small.txt").xattrs()).as("xattrs set by make_tree.py")
                .isEqualTo("757365722e62696e617279=0001feff,757365722e74657374=68656c6c6f");
    }

    @Test
    void gnuTarUstarFormatWithPrefixField() {
        assertParsesAsPythonLists(TarTools.gnuTar(ustarTree, work, "ustar"));
    }

    @Test
    void gnuTarV7Format() {
        assertParsesAsPythonLists(TarTools.gnuTar(ustarTree.resolve("d1"), work, "v7"));
    }

    @Test
    void bsdtarPaxFormat() {
        assertParsesAsPythonLists(TarTools.bsdtar(fullTree, work, "pax"));
    }

    @Test
    void bsdtarUstarFormat() {
        assertParsesAsPythonLists(TarTools.bsdtar(ustarTree, work, "ustar"));
    }

    @Test
    void bsdtarGnuFormat() {
        assertParsesAsPythonLists(TarTools.bsdtar(ustarTree, work, "gnutar"));
    }

    @Test
    void pythonGnuFormatWithDevicesBase256AndNegativeMtime() {
        assertParsesAsPythonLists(TarTools.pythonTar(work, "gnu"));
    }

    @Test
    void pythonPaxFormatWithGlobalHeaderAndXattrs() {
        assertParsesAsPythonLists(TarTools.pythonTar(work, "pax"));
    }

    @Test
    void pythonUstarFormat() {
        assertParsesAsPythonLists(TarTools.pythonTar(work, "ustar"));
    }

    @Test
    void goArchiveTarWrittenByUmoci() {
        assertParsesAsPythonLists(TarTools.goTar(fullTree, work.resolve("go-work")));
    }
}
