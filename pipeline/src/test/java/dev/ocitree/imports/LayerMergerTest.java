package dev.ocitree.imports;

import dev.ocitree.operators.StreamLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.Xattrs;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of REGISTRY.md §5 on in-memory trees (objects named by fake checksums). The
 * end-to-end comparison with umoci is in ImportVersusUmociTest.
 */
class LayerMergerTest {

    private static final Dirmeta DEFAULT = Dirmeta.directory(0, 0, 0755, Xattrs.empty());
    private static final Dirmeta PRIVATE = Dirmeta.directory(0, 0, 0700, Xattrs.empty());

    private final Map<Checksum, String> symlinks = new HashMap<>();
    private final Map<Checksum, String> names = new HashMap<>();
    private final LayerMerger merger = new LayerMerger(new MutableTree(DEFAULT.checksum()), symlinks::get,
            DEFAULT.checksum());

    private Checksum content(String label) {
        Checksum c = Checksum.sha256(label.getBytes(StandardCharsets.UTF_8));
        names.put(c, label);
        return c;
    }

    private Checksum link(String target) {
        Checksum c = content("->" + target);
        symlinks.put(c, target);
        return c;
    }

    private void layer(Consumer<LayerTree> entries) {
        LayerTree tree = new LayerTree("sha256:test", DEFAULT.checksum(), StreamLimits.defaults().maxDirectoryEntries());
        entries.accept(tree);
        merger.apply("sha256:test", tree.root(), tree.implicitDirs(), tree.externalHardlinks());
    }

    /** path → file label, or "dir" / "dir0700". */
    private Map<String, String> listing() {
        Map<String, String> out = new TreeMap<>();
        walk(merger.merged(), "", out);
        return out;
    }

    private void walk(MutableTree dir, String prefix, Map<String, String> out) {
        dir.files().forEach((n, c) -> out.put(prefix + n, names.get(c)));
        dir.dirs().forEach((n, d) -> {
            out.put(prefix + n + "/", d.meta().equals(PRIVATE.checksum()) ? "dir0700" : "dir");
            walk(d, prefix + n + "/", out);
        });
    }

    @Test
    void whiteoutInUpperLayerRemovesLowerFileAndDirectory() {
        layer(t -> {
            t.directory("etc", DEFAULT.checksum());
            t.file("etc/a", content("a1"));
            t.file("etc/gone", content("g"));
            t.directory("opt/dir", DEFAULT.checksum());
            t.file("opt/dir/x", content("x"));
        });
        layer(t -> {
            t.file("etc/.wh.gone", content("wh"));
            t.file("opt/.wh.dir", content("wh"));
            t.file("etc/.wh.never-existed", content("wh"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("etc/", "dir", "etc/a", "a1", "opt/", "dir")));
    }

    @Test
    void entryAndItsWhiteoutInOneLayerKeepTheEntryInEitherOrder() {
        layer(t -> {
            t.file("before", content("old-b"));
            t.file("after", content("old-a"));
        });
        layer(t -> {
            t.file(".wh.before", content("wh"));
            t.file("before", content("new-b"));
            t.file("after", content("new-a"));
            t.file(".wh.after", content("wh"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("before", "new-b", "after", "new-a")));
    }

    @Test
    void opaqueDirectoryHidesLowerChildrenButKeepsItsOwnLayers() {
        layer(t -> {
            t.directory("o", DEFAULT.checksum());
            t.file("o/old", content("old"));
            t.directory("o/sub", DEFAULT.checksum());
            t.file("o/sub/old-c", content("c"));
        });
        layer(t -> {
            t.directory("o", PRIVATE.checksum());
            t.file("o/new", content("new"));
            t.directory("o/sub", DEFAULT.checksum());
            t.file("o/sub/d", content("d"));
            t.file("o/.wh..wh..opq", content("opq"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("o/", "dir0700", "o/new", "new",
                "o/sub/", "dir", "o/sub/d", "d")));
    }

    @Test
    void typeChangesReplaceTheLowerEntryOutright() {
        layer(t -> {
            t.file("file-becomes-dir", content("f"));
            t.directory("dir-becomes-file", DEFAULT.checksum());
            t.file("dir-becomes-file/child", content("c"));
            t.file("symlink-becomes-file", link("target"));
            t.file("file-becomes-symlink", content("f2"));
            t.directory("dir-becomes-symlink", DEFAULT.checksum());
            t.file("dir-becomes-symlink/child", content("c2"));
        });
        layer(t -> {
            t.directory("file-becomes-dir", DEFAULT.checksum());
            t.file("file-becomes-dir/inside", content("i"));
            t.file("dir-becomes-file", content("now-file"));
            t.file("symlink-becomes-file", content("real"));
            t.file("file-becomes-symlink", link("elsewhere"));
            t.file("dir-becomes-symlink", link("/etc"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "file-becomes-dir/", "dir", "file-becomes-dir/inside", "i", "dir-becomes-file", "now-file",
                "symlink-becomes-file", "real", "file-becomes-symlink", "->elsewhere", "dir-becomes-symlink", "->/etc")));
    }

    @Test
    void impliedDirectoryFollowsALowerSymlinkInsideTheRootOnly() {
        layer(t -> {
            t.directory("usr/lib", DEFAULT.checksum());
            t.file("lib", link("usr/lib"));
            t.file("evil", link("../../../../outside"));
            t.file("abs", link("/etc"));
        });
        layer(t -> {
            t.file("lib/x.so", content("x"));
            t.file("evil/pwned", content("p"));
            t.file("abs/passwd", content("pw"));
        });
        Map<String, String> listing = listing();
        assertThat(listing).containsEntry("usr/lib/x.so", "x")
                .containsEntry("outside/pwned", "p")
                .containsEntry("etc/passwd", "pw")
                .containsEntry("lib", "->usr/lib")
                .containsEntry("evil", "->../../../../outside");
    }

    @Test
    void explicitDirectoryEntryReplacesALowerSymlink() {
        layer(t -> t.file("lib", link("usr/lib")));
        layer(t -> {
            t.directory("lib", DEFAULT.checksum());
            t.file("lib/x.so", content("x"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("lib/", "dir", "lib/x.so", "x")));
    }

    @Test
    void hardlinksTakeTheTargetsObjectInTheLayerAndAcrossLayers() {
        layer(t -> {
            t.file("a", content("A"));
            t.hardlink("b", "./a");
        });
        layer(t -> t.hardlink("c", "/a"));
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", "A", "b", "A", "c", "A")));
    }

    @Test
    void rewritingOneNameOfAHardlinkGroupLeavesTheOthers() {
        layer(t -> {
            t.file("orig", content("v1"));
            t.hardlink("link", "orig");
        });
        layer(t -> t.file("orig", content("v2")));
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("orig", "v2", "link", "v1")));
    }

    @Test
    void dotDotAndAbsoluteNamesAreClampedAtTheRoot() {
        layer(t -> {
            t.file("../../escape", content("e"));
            t.file("/abs/file", content("a"));
            t.file("./a/../b", content("b"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("escape", "e", "abs/", "dir",
                "abs/file", "a", "b", "b")));
    }

    @Test
    void badWhiteoutsAndLinksAreTypedErrors() {
        assertThatThrownBy(() -> layer(t -> t.file(".wh...", content("wh")))).isInstanceOf(LayerFormatException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> layer(t -> {
            t.directory("d", DEFAULT.checksum());
            t.file("d/.wh.", content("wh"));
        })).isInstanceOf(LayerFormatException.class)
                .hasMessageContaining("bare whiteout");
        assertThatThrownBy(() -> layer(t -> t.hardlink("x", "missing"))).isInstanceOf(LayerFormatException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> layer(t -> {
            t.directory("d", DEFAULT.checksum());
            t.hardlink("x", "d");
        })).isInstanceOf(LayerFormatException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> layer(t -> {
            t.file("s", link("/etc"));
            t.file("s/through", content("t"));
        })).isInstanceOf(LayerFormatException.class).hasMessageContaining("same layer");
    }

    @Test
    void impliedDirectoryHoldingOnlyWhiteoutsIsNotCreated() {
        layer(t -> t.file("a", content("a")));
        layer(t -> {
            t.file("ghost/.wh.nothing-here", content("wh"));
            t.file("ghost2/deeper/.wh..wh..opq", content("opq"));
        });
        assertThat(listing()).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", "a")));
    }

    @Test
    void devicesAreSkippedAndRecorded() {
        LayerTree tree = new LayerTree("sha256:test", DEFAULT.checksum(), StreamLimits.defaults().maxDirectoryEntries());
        tree.skip("dev/null", "char-device(1,3)");
        assertThat(tree.skipped()).isEqualTo(List.of("char-device(1,3) dev/null"));
        assertThat(tree.root().dir("dev")).isNotNull();
    }
}
