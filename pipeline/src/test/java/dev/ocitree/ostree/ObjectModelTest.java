package dev.ocitree.ostree;

import static dev.ocitree.ostree.VectorTreeBuilder.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rules of OSTREE-FORMAT.md §2–3 that the vectors do not cover exhaustively, and the misc vectors
 * made by ostree (detached metadata, tombstone, a four-commit parent chain with its {@code ostree log}
 * output, a summary).
 */
class ObjectModelTest {

    @Test
    void checksumsAreSixtyFourLowerCaseHexDigits() {
        String hex = "9664601ad14b4a807327499240e95f229ede2fdd216fb992f98448e2fc316964";
        assertThat(Checksum.fromHex(hex).hex()).isEqualTo(hex);
        assertThat(Checksum.of(Checksum.fromHex(hex).bytes())).isEqualTo(Checksum.fromHex(hex));
        assertThatThrownBy(() -> Checksum.fromHex(hex.toUpperCase())).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("lower-case");
        assertThatThrownBy(() -> Checksum.fromHex(hex.substring(1))).isInstanceOf(OstreeFormatException.class);
        assertThatThrownBy(() -> Checksum.of(new byte[31])).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("31");
        assertThat(Checksum.fromHex("00" + hex.substring(2))).isLessThan(Checksum.fromHex("ff" + hex.substring(2)));
    }

    @Test
    void objectPathsAndRepoModesFollowOstreeNames() {
        Checksum c = Checksum.fromHex("9664601ad14b4a807327499240e95f229ede2fdd216fb992f98448e2fc316964");
        assertThat(ObjectType.COMMIT.relativePath(c, RepoMode.ARCHIVE))
                .isEqualTo("objects/96/64601ad14b4a807327499240e95f229ede2fdd216fb992f98448e2fc316964.commit");
        assertThat(ObjectType.FILE.extension(RepoMode.ARCHIVE)).isEqualTo("filez");
        assertThat(ObjectType.FILE.extension(RepoMode.BARE_USER)).isEqualTo("file");
        assertThat(ObjectType.TOMBSTONE_COMMIT.extension()).isEqualTo("tombstone-commit");
        assertThat(ObjectType.fromExtension("filez")).isEqualTo(ObjectType.FILE);
        assertThatThrownBy(() -> ObjectType.fromExtension("payload-link")).isInstanceOf(OstreeFormatException.class);
        assertThat(RepoMode.fromConfigName("archive")).isEqualTo(RepoMode.ARCHIVE);
        assertThat(RepoMode.fromConfigName("archive-z2").configName()).isEqualTo("archive-z2");
        assertThat(RepoMode.fromConfigName("bare-user-only")).isEqualTo(RepoMode.BARE_USER_ONLY);
        assertThatThrownBy(() -> RepoMode.fromConfigName("bare")).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("'bare'");
    }

    @Test
    void devicesFifosAndSocketsAreNotRepresentable() {
        for (int type : new int[] {0020000, 0060000, 0010000, 0140000, 0040000}) {
            assertThatThrownBy(() -> new FileMeta(0, 0, type | 0644, null, null))
                    .isInstanceOf(OstreeFormatException.class).hasMessageContaining("0" + Integer.toOctalString(type | 0644))
                    .hasMessageContaining("not representable");
        }
        assertThatThrownBy(() -> new FileMeta(0, 0, 0100644, "target", null)).isInstanceOf(OstreeFormatException.class);
        assertThatThrownBy(() -> FileMeta.symlink(0, 0, "", null)).isInstanceOf(OstreeFormatException.class);
        assertThatThrownBy(() -> FileMeta.regular(0, 0, 010000, null)).isInstanceOf(OstreeFormatException.class);
        assertThat(HexFormat.of().formatHex(Dirmeta.directory(0, 0, 0755, null).serialize())).isEqualTo("0000000000000000000041ed");
        assertThatThrownBy(() -> new Dirmeta(0, 0, 0100755, null)).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("0100755");
    }

    @Test
    void bareUserOnlyCanonicalisesModesOwnersAndXattrs() {
        Xattrs x = Xattrs.of(Map.of("user.a", new byte[] {1}));
        int[][] files = {{04755, 0755}, {02711, 0711}, {01777, 0755}, {0664, 0644}, {0600, 0600}};
        for (int[] f : files) {
            FileMeta c = FileMeta.regular(1000, 100, f[0], x).canonical(RepoMode.BARE_USER_ONLY);
            assertThat(c).isEqualTo(FileMeta.regular(0, 0, f[1], Xattrs.empty()));
        }
        int[][] dirs = {{02775, 0755}, {01777, 0755}, {0700, 0700}};
        for (int[] d : dirs) {
            assertThat(Dirmeta.directory(5, 6, d[0], x).canonical(RepoMode.BARE_USER_ONLY))
                    .isEqualTo(Dirmeta.directory(0, 0, d[1], Xattrs.empty()));
        }
        assertThat(FileMeta.symlink(1, 2, "t", x).canonical(RepoMode.BARE_USER_ONLY).mode()).isEqualTo(0120777);
        FileMeta kept = FileMeta.regular(1000, 100, 04755, x);
        assertThat(kept.canonical(RepoMode.ARCHIVE)).isSameAs(kept);
        assertThat(kept.canonical(RepoMode.BARE_USER)).isSameAs(kept);
        assertThat(kept.bareUserStoredPermissions()).isEqualTo(0755);
    }

    @Test
    void xattrsAreSortedByBytesWhenBuiltAndKeepTheirStoredOrderWhenParsed() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("user.z", new byte[] {1});
        m.put("user.a", new byte[0]);
        m.put("user.B", new byte[] {2});
        assertThat(Xattrs.of(m)).extracting(Xattrs.Entry::name).containsExactly("user.B", "user.a", "user.z");
        assertThat(Xattrs.of(m).isSorted()).isTrue();
        // libarchive's order for pax records m, z, a is a, z, m (reverse); ostree hashes it as is
        byte[] tarOrder = Variant.of("a(ayay)", List.of(pair("user.a", "1"), pair("user.z", "2"), pair("user.m", "3")))
                .serialize();
        Xattrs parsed = Xattrs.parse(tarOrder);
        assertThat(parsed).extracting(Xattrs.Entry::name).containsExactly("user.a", "user.z", "user.m");
        assertThat(parsed.isSorted()).isFalse();
        assertThat(parsed.serialize()).isEqualTo(tarOrder);
        assertThat(parsed.get("user.m")).containsExactly('3');
        assertThatThrownBy(() -> Xattrs.parse(Variant.of("a(ayay)", List.of(List.of("user.x".getBytes(StandardCharsets.UTF_8),
                new byte[0]))).serialize())).isInstanceOf(OstreeFormatException.class).hasMessageContaining("NUL-terminated");
    }

    private static List<byte[]> pair(String name, String value) {
        return List.of((name + "\0").getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hasherEnforcesTheDeclaredSize() {
        FileMeta meta = FileMeta.regular(0, 0, 0644, null);
        FileObjectHasher more = new FileObjectHasher(meta, 2);
        assertThatThrownBy(() -> more.update(new byte[3], 0, 3)).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("longer than its declared size 2");
        FileObjectHasher fewer = new FileObjectHasher(meta, 2);
        fewer.update(new byte[1], 0, 1);
        assertThatThrownBy(fewer::finish).isInstanceOf(OstreeFormatException.class).hasMessageContaining("after 1 of");
        assertThatThrownBy(() -> new FileObjectHasher(FileMeta.symlink(0, 0, "t", null), 1))
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining("symlink has no content");
    }

    @Test
    void commitsRejectWhatOstreeRejects() throws Exception {
        Checksum t = Checksum.sha256(new byte[0]);
        assertThatThrownBy(() -> new Commit(Map.of("", Variant.string("x")), null, "", "", 0, t, t))
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining("empty metadata key");
        byte[] withShortParent = Variant.of("(a{sv}aya(say)sstayay)", List.of(List.of(), new byte[5], List.of(), "", "",
                0L, t.bytes(), t.bytes())).serialize();
        assertThatThrownBy(() -> Commit.parse(withShortParent)).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("5 bytes");
        byte[] duplicateKeys = Variant.of("(a{sv}aya(say)sstayay)", List.of(List.of(List.of("k", Variant.bool(true)),
                List.of("k", Variant.bool(false))), new byte[0], List.of(), "", "", 0L, t.bytes(), t.bytes())).serialize();
        assertThatThrownBy(() -> Commit.parse(duplicateKeys)).isInstanceOf(OstreeFormatException.class)
                .hasMessageContaining("duplicate key 'k'");
        assertThat(Commit.refBinding(List.of("b", "a/é", "a/z")).asStrings()).containsExactly("a/z", "a/é", "b");
    }

    @Test
    void detachedMetadataAndTombstoneMatchOstreeFiles() {
        byte[] commitmeta = resource("misc/ae556b442fcb094112659f4ed9446539c6a2381b40c64dd1fc24a4826c320bd9.commitmeta");
        DetachedMetadata foo = new DetachedMetadata(Map.of("foo", Variant.string("bar")));
        assertThat(foo.serialize()).isEqualTo(commitmeta);
        assertThat(DetachedMetadata.parse(commitmeta)).isEqualTo(foo);

        String deleted = "7a9a116390ea9ff9c630d3f0e3c9826bf08251488cfa97895fe94b2a6753ae8c";
        byte[] tombstone = resource("misc/" + deleted + ".tombstone-commit");
        assertThat(DetachedMetadata.tombstone(Checksum.fromHex(deleted)).serialize()).isEqualTo(tombstone);
        assertThat(DetachedMetadata.parse(tombstone).tombstonedCommit().hex()).isEqualTo(deleted);
        assertThat(new DetachedMetadata(Map.of()).serialize()).isEmpty();
    }

    @Test
    void parentChainMatchesOstreeLog() {
        List<String> names = new ArrayList<>();
        List<byte[]> commits = new ArrayList<>();
        StringBuilder hex = null;
        for (String line : new String(resource("misc/chain-commits.hex"), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("== ")) {
                if (hex != null) {
                    commits.add(HexFormat.of().parseHex(hex));
                }
                names.add(line.substring(3).trim());
                hex = new StringBuilder();
            } else if (line.length() > 10) {
                hex.append(line.substring(10, Math.min(line.length(), 49)).replace(" ", ""));
            }
        }
        commits.add(HexFormat.of().parseHex(hex));
        String log = new String(resource("misc/chain-log.txt"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("commit (\\w+)\\n(?:Parent:  (\\w+)\\n)?ContentChecksum:  (\\w+)\\nDate:  "
                + "2021-01-0(\\d) 00:00:00 \\+0000\\n\\n    (.+)\\n\\n    (.+)\\n").matcher(log);
        for (int i = 0; i < commits.size(); i++) {
            Commit c = Commit.parse(commits.get(i));
            assertThat(c.serialize()).isEqualTo(commits.get(i));
            assertThat(c.checksum().hex()).isEqualTo(names.get(i));
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).isEqualTo(names.get(i));
            assertThat(c.parent() == null ? null : c.parent().hex()).isEqualTo(m.group(2));
            assertThat(c.contentChecksum().hex()).isEqualTo(m.group(3));
            assertThat(c.timestampSeconds()).isEqualTo(1609459200L + 86400L * (Integer.parseInt(m.group(4)) - 1));
            assertThat(c.subject()).isEqualTo(m.group(5));
            assertThat(c.body()).isEqualTo(m.group(6));
            assertThat(c.refBindings()).containsExactly("main");
            if (i + 1 < commits.size()) {
                assertThat(c.parent().hex()).isEqualTo(names.get(i + 1));
            }
        }
        assertThat(commits).hasSize(4);
    }

    @Test
    void summaryRoundTripsThroughTheGenericValueModel() {
        byte[] summary = resource("misc/summary.bin");
        Variant v = Variant.parse("(a(s(taya{sv}))a{sv})", summary);
        assertThat(v.serialize()).isEqualTo(summary);
        List<?> refs = (List<?>) ((List<?>) v.value()).get(0);
        List<?> first = (List<?>) refs.get(0);
        assertThat(first.get(0)).isEqualTo("vectors/a");
        List<?> data = (List<?>) first.get(1);
        assertThat(data.get(0)).isEqualTo(150L); // commit size, little-endian unlike OSTree's own fields
        assertThat(Checksum.of((byte[]) data.get(1)).hex())
                .isEqualTo("9664601ad14b4a807327499240e95f229ede2fdd216fb992f98448e2fc316964");
    }
}
