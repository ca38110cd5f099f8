package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken archives fail with the exact exception type, naming the entry and the byte
 * offset (offsets are taken from Python tarfile's listing of the intact archive). Archives cut at
 * a header boundary are accepted, as GNU tar, Python and Go accept them.
 */
class TarParserCorruptArchiveTest {

    @TempDir
    static Path work;
    static byte[] gnu;
    static String gnuListing;
    static Map<String, Listed> gnuEntries;
    static byte[] pythonPax;
    static String pythonPaxListing;

    @BeforeAll
    static void archives() {
        Path tree = TarTools.tree(work, "full");
        Path gnuTar = TarTools.gnuTar(tree, work, "gnu");
        gnu = TarTools.read(gnuTar);
        gnuListing = TarTools.pythonListingText(gnuTar);
        gnuEntries = Listed.byPath(Listed.fromPythonListing(gnuListing));
        Path pax = TarTools.pythonTar(work, "pax");
        pythonPax = TarTools.read(pax);
        pythonPaxListing = TarTools.pythonListingText(pax);
    }

    private static List<Listed> parse(byte[] tar, StreamLimits limits) {
        return Listed.parse(ChunkPlan.fixed(4096, ChunkPlan.Kind.DIRECT).chunks(tar), limits);
    }

    private static List<Listed> parse(byte[] tar) {
        return parse(tar, StreamLimits.defaults());
    }

    private static long header(String path) {
        return gnuEntries.get(path).headerOffset();
    }

    @Test
    void flippedChecksumDigitFailsNamingEntryAndOffset() {
        long at = header("small.txt");
        byte[] tar = gnu.clone();
        tar[(int) at + 150] ^= 1;
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + at + " (entry './small.txt'): header checksum mismatch")
                .satisfies(e -> {
                    assertThat(((TarFormatException) e).entryName()).isEqualTo("./small.txt");
                    assertThat(((TarFormatException) e).offset()).isEqualTo(at);
                });
    }

    @Test
    void flippedHeaderByteFailsTheChecksum() {
        long at = header("exec.sh");
        byte[] tar = gnu.clone();
        tar[(int) at + 105] ^= 0x01; // a mode digit: the header still decodes, only its checksum is wrong
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + at + " (entry './exec.sh'): header checksum mismatch");
    }

    @Test
    void truncatedInsideAHeaderBlock() {
        long at = header("small.txt");
        byte[] tar = Arrays.copyOf(gnu, (int) at + 100);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + (at + 100)
                        + " (entry './small.txt'): truncated: end of input inside a header block (100 of 512 bytes)");
    }

    @Test
    void truncatedInsideContent() {
        long at = header("big.bin");
        byte[] tar = Arrays.copyOf(gnu, (int) at + 512 + 1000);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + (at + 512 + 1000)
                        + " (entry 'big.bin'): truncated: end of input with 299000 of 300000 content bytes missing");
    }

    @Test
    void truncatedInsidePadding() {
        long at = header("small.txt");
        byte[] tar = Arrays.copyOf(gnu, (int) at + 512 + 13 + 10);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + (at + 512 + 23)
                        + ": truncated: end of input inside the padding after an entry");
    }

    @Test
    void truncatedAfterAGnuLongNameHeader() {
        String longName = "long/" + "n".repeat(120);
        long entryHeader = header(longName);
        Map<String, Long> first = Listed.firstHeaderOffsets(gnuListing);
        assertThat(first.get(longName)).as("GNU tar writes an 'L' header first").isLessThan(entryHeader);
        byte[] tar = Arrays.copyOf(gnu, (int) entryHeader);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + entryHeader
                        + " (entry '././@LongLink'): truncated: end of input after an extended header, before its entry");
    }

    @Test
    void endOfInputAtAHeaderBoundaryIsAcceptedLikePythonAndGnuTar() {
        long at = header("small.txt");
        Path cut = TarTools.write(work.resolve("cut.tar"), Arrays.copyOf(gnu, (int) at));
        PeerTools.runOk(work, "tar", "tf", cut.toString());
        List<Listed> python = TarTools.pythonListing(cut);
        assertThat(python).isNotEmpty();
        assertThat(parse(TarTools.read(cut))).containsExactlyElementsOf(python);
    }

    @Test
    void everyTruncationPointFailsOrEndsAtABoundary() {
        byte[] mini = TarTools.read(TarTools.gnuTar(TarTools.tree(work.resolve("cuts"), "mini"), work, "gnu", "-b1"));
        for (int cut = 0; cut < mini.length; cut += 37) {
            byte[] tar = Arrays.copyOf(mini, cut);
            try {
                parse(tar);
                assertThat(cut % 512).as("accepted cut at %d", cut).isZero();
            } catch (TarFormatException e) {
                assertThat(e.getMessage()).as("cut at %d", cut).contains("truncated");
                assertThat(e.offset()).isEqualTo(cut);
            }
        }
    }

    @Test
    void paxHeaderOverMaxHeaderBytes() {
        // the first member (in archive order) preceded by a PAX 'x' header of more than 100 bytes
        Map<String, Long> first = Listed.firstHeaderOffsets(pythonPaxListing);
        long x = Listed.fromPythonListing(pythonPaxListing).stream()
                .map(l -> first.get(l.path()))
                .filter(at -> pythonPax[(int) (at + 156)] == 'x'
                        && TarUtils.parseOctalOrBinary(pythonPax, (int) (at + 124), 12) > 100)
                .findFirst().orElseThrow();
        long size = TarUtils.parseOctalOrBinary(pythonPax, (int) x + 124, 12);
        String name = TarUtils.parseName(pythonPax, (int) x, 100);
        assertThatThrownBy(() -> parse(pythonPax, StreamLimits.defaults().maxHeaderBytes(100)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessage("tar entry '" + name + "' at byte offset " + x + ": PAX header of " + size
                        + " bytes exceeds maxHeaderBytes 100");
    }

    @Test
    void moreEntriesThanMaxLayerEntriesFailsAtTheFirstEntryPastTheLimit() {
        List<Listed> all = Listed.fromPythonListing(gnuListing);
        Listed third = all.get(2);
        assertThat(parse(gnu, StreamLimits.defaults().maxLayerEntries(all.size()))).hasSize(all.size());
        assertThatThrownBy(() -> parse(gnu, StreamLimits.defaults().maxLayerEntries(2)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessage("tar entry '" + third.path() + "' at byte offset " + third.headerOffset()
                        + ": more than maxLayerEntries 2 entries in one archive");
    }

    @Test
    void anEntryThatWouldTakeTheArchivePastMaxLayerBytesFailsBeforeItsContent() {
        Listed big = Listed.fromPythonListing(gnuListing).stream().filter(l -> l.size() > 1000)
                .findFirst().orElseThrow();
        long limit = big.headerOffset() + 512 + 100;
        assertThatThrownBy(() -> parse(gnu, StreamLimits.defaults().maxLayerBytes(limit)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("tar entry '" + big.path() + "' at byte offset " + big.headerOffset()
                        + ": the archive would reach ")
                .hasMessageEndingWith("bytes, past maxLayerBytes " + limit + " (a decompression bomb?)");
    }

    @Test
    void endlessPaddingAfterTheEndOfArchiveStopsAtMaxLayerBytes() {
        byte[] padded = Arrays.copyOf(gnu, gnu.length + (1 << 20));
        assertThat(parse(padded, StreamLimits.defaults())).isNotEmpty();
        assertThatThrownBy(() -> parse(padded, StreamLimits.defaults().maxLayerBytes(gnu.length + 4096)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("tar archive at byte offset ")
                .hasMessageContaining("past maxLayerBytes " + (gnu.length + 4096));
    }

    @Test
    void pathOverMaxPathLength() {
        String longest = "long/" + "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(80);
        assertThatThrownBy(() -> parse(gnu, StreamLimits.defaults().maxPathLength(250)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("tar entry './long/aaaa")
                .hasMessageEndingWith("' at byte offset " + header(longest)
                        + ": path of 289 bytes exceeds maxPathLength 250");
    }

    @Test
    void linkTargetOverMaxPathLength() {
        Path mini = TarTools.gnuTar(TarTools.tree(work, "mini"), work, "gnu", "-b1");
        long at = Listed.byPath(TarTools.pythonListing(mini)).get("link-long").headerOffset();
        assertThatThrownBy(() -> parse(TarTools.read(mini), StreamLimits.defaults().maxPathLength(150)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessage("tar entry './link-long' at byte offset " + at
                        + ": link target of 153 bytes exceeds maxPathLength 150");
    }

    @Test
    void entryOverMaxEntrySize() {
        assertThatThrownBy(() -> parse(gnu, StreamLimits.defaults().maxEntrySize(100_000)))
                .isExactlyInstanceOf(LimitExceededException.class)
                .hasMessage("tar entry './big.bin' at byte offset " + header("big.bin")
                        + ": size 300000 exceeds maxEntrySize 100000");
    }

    @Test
    void malformedPaxRecordLength() {
        byte[] record = "SCHILY.xattr.user.text=value\n".getBytes(StandardCharsets.US_ASCII);
        int keyAt = indexOf(pythonPax, record);
        int recordAt = keyAt - 3; // "32 " precedes the key
        assertThat(new String(pythonPax, recordAt, 3, StandardCharsets.US_ASCII)).isEqualTo("32 ");
        byte[] tar = pythonPax.clone();
        tar[recordAt + 1] = '3'; // "33 ": one byte too long
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessageMatching("invalid tar archive at byte offset " + recordAt + " \\(entry '.*PaxHeader.*'\\): "
                        + "malformed PAX extended header: record length 33 does not end at a newline");
    }

    @Test
    void negativeSizeIsRejected() {
        long at = header("small.txt");
        byte[] tar = gnu.clone();
        TarUtils.formatLongOctalOrBinaryBytes(-1, tar, (int) at + 124, 12);
        rechecksum(tar, (int) at);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessageStartingWith("invalid tar archive at byte offset " + at + " (entry './small.txt'): "
                        + "cannot decode header: ")
                .hasMessageContaining("negative size");
    }

    @Test
    void gnuVolumeLabelIsAnUnsupportedType() {
        Path labelled = work.resolve("labelled.tar");
        PeerTools.runOk(work, "tar", "--format=gnu", "-V", "MY-LABEL", "-C", work.resolve("tree-full").toString(),
                "-cf", labelled.toString(), "small.txt");
        assertThatThrownBy(() -> parse(TarTools.read(labelled)))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset 0 (entry 'MY-LABEL'): unsupported entry type 'V'");
    }

    @Test
    void gnuSparseFilesAreRejected() throws Exception {
        Path dir = Files.createDirectories(work.resolve("sparse"));
        PeerTools.runOk(dir, "truncate", "-s", "1M", "holes.bin");
        PeerTools.runOk(dir, "dd", "if=/dev/urandom", "of=holes.bin", "bs=4096", "count=1", "seek=100", "conv=notrunc");
        Path oldGnu = work.resolve("sparse-gnu.tar");
        PeerTools.runOk(dir, "tar", "--format=gnu", "--sparse", "-cf", oldGnu.toString(), "holes.bin");
        assertThatThrownBy(() -> parse(TarTools.read(oldGnu)))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset 0 (entry 'holes.bin'): "
                        + "GNU sparse files (type 'S') are not supported");
        Path pax = work.resolve("sparse-pax.tar");
        PeerTools.runOk(dir, "tar", "--format=posix", "--sparse", "-cf", pax.toString(), "holes.bin");
        assertThatThrownBy(() -> parse(TarTools.read(pax)))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessageEndingWith("GNU sparse files (PAX GNU.sparse.* records) are not supported");
    }

    @Test
    void headerAfterALoneZeroBlockIsRejected() {
        long at = header("small.txt");
        byte[] tar = new byte[gnu.length + 512];
        System.arraycopy(gnu, 0, tar, 0, (int) at);
        System.arraycopy(gnu, (int) at, tar, (int) at + 512, gnu.length - (int) at);
        assertThatThrownBy(() -> parse(tar))
                .isExactlyInstanceOf(TarFormatException.class)
                .hasMessage("invalid tar archive at byte offset " + (at + 512)
                        + " (entry './small.txt'): header after a lone zero block (end-of-archive marker)");
    }

    @Test
    void bytesAfterTheEndOfArchiveAreIgnoredLikePython() {
        byte[] tar = Arrays.copyOf(gnu, gnu.length + 3000);
        Arrays.fill(tar, gnu.length, tar.length, (byte) 'X');
        Path trailing = TarTools.write(work.resolve("trailing.tar"), tar);
        assertThat(parse(tar)).containsExactlyElementsOf(TarTools.pythonListing(trailing));
    }

    @Test
    void oncefailedTheParserStaysFailedAndReleasesWhatItIsFed() {
        TarPushParser parser = new TarPushParser(StreamLimits.defaults());
        byte[] block = Arrays.copyOf(gnu, 512);
        block[150] ^= 1;
        parser.feed(Unpooled.wrappedBuffer(block));
        assertThatThrownBy(parser::next).isExactlyInstanceOf(TarFormatException.class);
        assertThat(parser.state()).isEqualTo(TarPushParser.State.BAD_ARCHIVE);
        var next = Unpooled.wrappedBuffer(new byte[512]);
        assertThatThrownBy(() -> parser.feed(next)).isExactlyInstanceOf(TarFormatException.class);
        assertThat(next.refCnt()).isZero();
        assertThatThrownBy(parser::next).isExactlyInstanceOf(TarFormatException.class);
    }

    private static void rechecksum(byte[] tar, int at) {
        byte[] header = Arrays.copyOfRange(tar, at, at + 512);
        Arrays.fill(header, 148, 156, (byte) ' ');
        TarUtils.formatCheckSumOctalBytes(TarUtils.computeCheckSum(header), tar, at + 148, 8);
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.US_ASCII));
    }
}
