package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** The tar writer's output as Python's tarfile and GNU tar read it, and its determinism. */
class TarWriterTest {

    @TempDir
    Path work;

    private static TarEntry entry(String path, TarEntryType type, long size, int mode, long uid, long gid, String link,
            TreeMap<String, byte[]> xattrs) {
        return new TarEntry(path, type, size, mode, uid, gid, "", "", 1704164645L, link, 0, 0, xattrs, 0);
    }

    private record Fixture(List<TarMember> members, List<Listed> expected) {
    }

    /** Members covering ustar and pax cases; content chunks are created at subscription. */
    private static Fixture fixture() throws Exception {
        List<TarMember> members = new ArrayList<>();
        List<Listed> expected = new ArrayList<>();
        Random random = new Random(7);
        byte[] big = new byte[200_000];
        random.nextBytes(big);
        byte[] small = "hello\n".getBytes(StandardCharsets.UTF_8);
        TreeMap<String, byte[]> xattrs = new TreeMap<>();
        xattrs.put("user.b", new byte[] {0, 1, 2, (byte) 0xff});
        xattrs.put("security.capability", new byte[] {1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        String longName = "d/" + "n".repeat(120) + "/ünïcode-file";
        List<TarEntry> entries = List.of(
                entry(".", TarEntryType.DIRECTORY, 0, 0755, 0, 0, null, null),
                entry("a.txt", TarEntryType.REGULAR, small.length, 0644, 1000, 1001, null, null),
                entry("big.bin", TarEntryType.REGULAR, big.length, 04755, 0, 0, null, xattrs),
                entry("empty", TarEntryType.REGULAR, 0, 0600, 0, 0, null, null),
                entry("link", TarEntryType.SYMLINK, 0, 0777, 0, 0, "x/".repeat(70) + "target", null),
                entry("d", TarEntryType.DIRECTORY, 0, 01777, 5_000_000, 7, null, xattrs),
                entry(longName, TarEntryType.REGULAR, small.length, 0644, 0, 0, null, null));
        for (TarEntry e : entries) {
            byte[] content = e.path().equals("big.bin") ? big : e.size() > 0 ? small : new byte[0];
            members.add(new TarMember(e, Flux.defer(() -> content.length == 0 ? Flux.empty()
                    : Flux.range(0, (content.length + 4095) / 4096).map(i -> Unpooled.copiedBuffer(content, i * 4096,
                            Math.min(4096, content.length - i * 4096))))));
            String sha = e.type() == TarEntryType.REGULAR
                    ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)) : "-";
            expected.add(Listed.of(e, sha));
        }
        return new Fixture(members, expected);
    }

    private static Listed withoutOffset(Listed l) {
        return new Listed(l.path(), l.type(), l.size(), l.mode(), l.uid(), l.gid(), l.userName(), l.groupName(),
                l.mtime(), l.linkTarget(), l.devMajor(), l.devMinor(), l.xattrs(), l.sha256(), 0);
    }

    @Test
    void pythonTarfileReadsEveryFieldWritten() throws Exception {
        Fixture f = fixture();
        byte[] tar = ByteBufChunks.drain(Flux.fromIterable(f.members()).transform(TarWriter.write()));
        Path file = TarTools.write(work.resolve("out.tar"), tar);
        List<Listed> listed = TarTools.pythonListing(file).stream().map(TarWriterTest::withoutOffset).toList();
        assertThat(listed).containsExactlyElementsOf(f.expected().stream().map(TarWriterTest::withoutOffset).toList());
        assertThat(tar.length % 512).isZero();
    }

    @Test
    void gnuTarListsAndExtractsWithoutWarnings() throws Exception {
        Fixture f = fixture();
        Path file = TarTools.write(work.resolve("out.tar"),
                ByteBufChunks.drain(Flux.fromIterable(f.members()).transform(TarWriter.write())));
        PeerTools.require("tar");
        PeerTools.Result r = PeerTools.run(work, "tar", "--xattrs", "--xattrs-include=user.*", "-tvf", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).containsPattern("-rwsr-xr-x\\* 0/0 +200000 2024-01-02 03:04 big.bin\n")
                .containsPattern("drwxrwxrwt\\* 5000000/7 +0 2024-01-02 03:04 d/\n")
                .contains("d/" + "n".repeat(120) + "/ünïcode-file");
    }

    @Test
    void sameMembersGiveTheSameBytes() throws Exception {
        byte[] one = ByteBufChunks.drain(Flux.fromIterable(fixture().members()).transform(TarWriter.write()));
        byte[] two = ByteBufChunks.drain(Flux.fromIterable(fixture().members()).transform(TarWriter.write()));
        assertThat(two).isEqualTo(one);
    }

    @Test
    void contentShorterThanItsHeaderFailsTypedAndLeaksNothing() {
        TarEntry e = entry("short", TarEntryType.REGULAR, 10, 0644, 0, 0, null, null);
        Flux<ByteBuf> out = Flux.just(new TarMember(e, Flux.defer(() -> Flux.just(Unpooled.copiedBuffer(new byte[4])))))
                .transform(TarWriter.write());
        assertThatThrownBy(() -> ByteBufChunks.drain(out)).isInstanceOf(TarFormatException.class)
                .hasMessageContaining("'short'").hasMessageContaining("content of 4 bytes, the header says 10");
    }

    @Test
    void contentLongerThanItsHeaderFailsTyped() {
        TarEntry e = entry("long", TarEntryType.REGULAR, 2, 0644, 0, 0, null, null);
        Flux<ByteBuf> out = Flux.just(new TarMember(e, Flux.defer(() -> Flux.just(Unpooled.copiedBuffer(new byte[4])))))
                .transform(TarWriter.write());
        assertThatThrownBy(() -> ByteBufChunks.drain(out)).isInstanceOf(TarFormatException.class)
                .hasMessageContaining("content longer than the header's size 2");
    }
}
