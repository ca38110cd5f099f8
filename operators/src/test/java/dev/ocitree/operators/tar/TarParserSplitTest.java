package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser's result does not depend on how the input is cut: small real archives (GNU tar with
 * long names, long link targets and PAX xattrs; Python's PAX archive with a global header and
 * devices) are fed split at every byte position, one byte at a time, and in random slices, from heap,
 * direct and pooled buffers, and always parse to Python tarfile's listing. The sweep over every
 * split position drives the push parser directly (and the Flux stage at every 97th position).
 */
class TarParserSplitTest {

    @TempDir
    static Path work;
    static byte[] gnuMini;
    static List<Listed> gnuMiniListing;
    static byte[] posixMini;
    static List<Listed> posixMiniListing;
    static byte[] pythonPax;
    static List<Listed> pythonPaxListing;

    @BeforeAll
    static void archives() {
        Path tree = TarTools.tree(work, "mini");
        Path gnu = TarTools.gnuTar(tree, work, "gnu", "-b1");
        gnuMini = TarTools.read(gnu);
        gnuMiniListing = TarTools.pythonListing(gnu);
        Path posix = TarTools.gnuTar(tree, work, "posix", "--xattrs", "-b1");
        posixMini = TarTools.read(posix);
        posixMiniListing = TarTools.pythonListing(posix);
        Path pax = TarTools.pythonTar(work, "pax");
        pythonPax = TarTools.read(pax);
        pythonPaxListing = TarTools.pythonListing(pax);
    }

    @Test
    void gnuFormatSplitAtEveryPosition() {
        assertThat(gnuMiniListing).extracting(Listed::type).contains(TarEntryType.SYMLINK, TarEntryType.HARDLINK);
        everySplit(gnuMini, gnuMiniListing);
    }

    @Test
    void posixFormatWithXattrsSplitAtEveryPosition() {
        assertThat(posixMiniListing).anySatisfy(l -> assertThat(l.xattrs()).isNotEqualTo("-"));
        everySplit(posixMini, posixMiniListing);
    }

    /** Every position through the push parser itself; every 97th also through the Flux stage. */
    private static void everySplit(byte[] tar, List<Listed> expected) {
        for (int at = 1; at < tar.length; at++) {
            // mostly untracked heap buffers (their release is asserted by refCnt); every 10th direct and
            // tracked by the paranoid leak detector
            ChunkPlan.Kind kind = at % 10 == 0 ? ChunkPlan.Kind.DIRECT : ChunkPlan.Kind.WRAPPED_HEAP;
            assertThat(Listed.pushParse(tar, at, kind)).as("split at %d, %s", at, kind)
                    .containsExactlyElementsOf(expected);
            if (at % 97 == 0) {
                ChunkPlan plan = ChunkPlan.splitAt(at, kind);
                assertThat(Listed.parse(tar, plan)).as(plan.name()).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void oneByteChunks() {
        for (ChunkPlan.Kind kind : ChunkPlan.Kind.values()) {
            assertThat(Listed.parse(gnuMini, ChunkPlan.fixed(1, kind))).as("gnu, %s", kind)
                    .containsExactlyElementsOf(gnuMiniListing);
        }
        assertThat(Listed.parse(posixMini, ChunkPlan.fixed(1, ChunkPlan.Kind.HEAP)))
                .containsExactlyElementsOf(posixMiniListing);
    }

    @Test
    void randomSlicesOfEverySizeAndKind() {
        for (ChunkPlan.Kind kind : ChunkPlan.Kind.values()) {
            for (long seed = 1; seed <= 3; seed++) {
                for (int max : new int[] {13, 300, 5000}) {
                    ChunkPlan plan = ChunkPlan.random(seed, max, kind);
                    assertThat(Listed.parse(pythonPax, plan)).as("python pax, %s", plan)
                            .containsExactlyElementsOf(pythonPaxListing);
                    assertThat(Listed.parse(posixMini, plan)).as("posix, %s", plan)
                            .containsExactlyElementsOf(posixMiniListing);
                }
            }
        }
    }

    @Test
    void blockAlignedChunks() {
        for (int size : new int[] {512, 1024, 4096, 10240}) {
            assertThat(Listed.parse(pythonPax, ChunkPlan.fixed(size, ChunkPlan.Kind.POOLED_DIRECT)))
                    .as("%d-byte chunks", size).containsExactlyElementsOf(pythonPaxListing);
        }
    }
}
