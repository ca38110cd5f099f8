package dev.ocitree.ostree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MutableTreeTest {

    private static final Checksum META = Dirmeta.directory(0, 0, 0755, null).checksum();
    private static final Checksum META_700 = Dirmeta.directory(0, 0, 0700, null).checksum();

    private static Checksum content(String s) {
        return FileObjectHasher.checksum(FileMeta.regular(0, 0, 0644, null), s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNameIsEitherAFileOrADirectory() {
        MutableTree root = new MutableTree(META);
        root.putFile("x", content("1"));
        MutableTree x = root.putDir("x", META);
        assertThat(root.files()).isEmpty();
        assertThat(root.dir("x")).isSameAs(x);
        x.putFile("inner", content("2"));
        assertThat(root.putDir("x", META_700)).as("existing dir keeps its contents").isSameAs(x);
        assertThat(x.meta()).isEqualTo(META_700);
        assertThat(x.files()).containsOnlyKeys("inner");
        root.putFile("x", content("3"));
        assertThat(root.dir("x")).isNull();
        assertThat(root.files()).containsOnlyKeys("x");
        assertThat(root.remove("x")).isTrue();
        assertThat(root.remove("x")).isFalse();
        assertThat(x.path()).isEqualTo("/x");
    }

    @Test
    void invalidNamesAreRefused() {
        MutableTree root = new MutableTree(META);
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b", "\uD800"}) {
            assertThatThrownBy(() -> root.putFile(bad, content("x"))).isInstanceOf(OstreeFormatException.class);
            assertThatThrownBy(() -> root.putDir(bad, META)).isInstanceOf(OstreeFormatException.class);
        }
    }

    @Test
    void entriesAreInUtf8ByteOrderNotUtf16Order() {
        MutableTree root = new MutableTree(META);
        List<String> names = List.of("é", "z", "a.b", "a-b", "a", "_", "Z", "B", "9", "10", ".hidden", "\uD800\uDC00", "\uFFFD");
        names.forEach(n -> root.putFile(n, content(n)));
        assertThat(root.files().keySet()).containsExactly(".hidden", "10", "9", "B", "Z", "_", "a", "a-b", "a.b", "z", "é",
                "\uFFFD", "\uD800\uDC00");
        Map<Checksum, Dirtree> sink = new HashMap<>();
        Dirtree.Subdir top = root.write((t, c) -> sink.put(c, t));
        Dirtree back = Dirtree.parse(sink.get(top.tree()).serialize());
        assertThat(back.files().keySet()).containsExactlyElementsOf(root.files().keySet());
    }

    @Test
    void writeHandsOverChildrenBeforeParentsAndEveryDirectoryNeedsMeta() {
        MutableTree root = new MutableTree(null);
        root.putDir("a", META).putDir("b", META).putFile("f", content("f"));
        root.putDir("c", META);
        assertThatThrownBy(() -> root.write((t, c) -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'/'");
        root.setMeta(META);
        List<Checksum> order = new ArrayList<>();
        Map<Checksum, Dirtree> trees = new HashMap<>();
        Dirtree.Subdir top = root.write((t, c) -> {
            assertThat(t.checksum()).isEqualTo(c);
            for (Dirtree.Subdir s : t.dirs().values()) {
                assertThat(trees).containsKey(s.tree());
            }
            trees.put(c, t);
            order.add(c);
        });
        assertThat(order).last().isEqualTo(top.tree());
        assertThat(trees).hasSize(4); // a/b, a, c (empty), root
        assertThat(trees.values()).contains(Dirtree.empty());
    }

    @Test
    void loadedTreesExpandLazilyAndOnlyChangedDirectoriesAreWrittenAgain() {
        MutableTree original = new MutableTree(META);
        for (String d : List.of("bin", "lib", "usr")) {
            MutableTree dir = original.putDir(d, META);
            dir.putDir("deep", META).putFile("file-" + d, content(d));
            dir.putFile("top-" + d, content(d + "!"));
        }
        Map<Checksum, Dirtree> store = new HashMap<>();
        Dirtree.Subdir written = original.write((t, c) -> store.put(c, t));

        AtomicInteger loads = new AtomicInteger();
        MutableTree loaded = MutableTree.load(written.tree(), written.meta(), c -> {
            loads.incrementAndGet();
            return store.get(c);
        });
        List<Checksum> rewritten = new ArrayList<>();
        assertThat(loaded.write((t, c) -> rewritten.add(c))).isEqualTo(written);
        assertThat(rewritten).isEmpty();
        assertThat(loads).hasValue(0);

        loaded.dir("usr").dir("deep").putFile("new", content("new"));
        Dirtree.Subdir changed = loaded.write((t, c) -> {
            store.put(c, t);
            rewritten.add(c);
        });
        assertThat(rewritten).hasSize(3); // usr/deep, usr, root
        assertThat(loads).hasValue(3); // root, usr, usr/deep; bin and lib stay unexpanded
        assertThat(changed.tree()).isNotEqualTo(written.tree());

        original.dir("usr").dir("deep").putFile("new", content("new"));
        assertThat(original.write((t, c) -> { })).isEqualTo(changed);

        loaded.dir("lib").setMeta(META_700);
        rewritten.clear();
        Dirtree.Subdir metaOnly = loaded.write((t, c) -> rewritten.add(c));
        assertThat(rewritten).as("only the root's listing changes").hasSize(1).containsExactly(metaOnly.tree());
        assertThat(MutableTree.load(written.tree(), META, c -> null).meta()).isEqualTo(META);
        assertThatThrownBy(() -> MutableTree.load(written.tree(), META, c -> null).files())
                .isInstanceOf(OstreeFormatException.class).hasMessageContaining(written.tree().hex());
    }

    @Test
    void clearEmptiesTheDirectory() {
        MutableTree root = new MutableTree(META);
        root.putFile("a", content("a"));
        Dirtree.Subdir before = root.write((t, c) -> { });
        root.clear();
        assertThat(root.files()).isEmpty();
        assertThat(root.write((t, c) -> { }).tree()).isNotEqualTo(before.tree()).isEqualTo(Dirtree.empty().checksum());
    }

    @Test
    void aDirectoryPastMaxEntriesIsALimitErrorNamingIt() {
        Checksum meta = Checksum.sha256(new byte[] {1});
        MutableTree root = new MutableTree(meta, 3);
        MutableTree sub = root.putDir("sub\ndir", meta);
        sub.putFile("a", meta);
        sub.putDir("b", meta);
        sub.putFile("c", meta);
        sub.putFile("a", Checksum.sha256(new byte[] {2}));   // replacing a name adds nothing
        sub.putDir("a", meta);                               // nor does a file turned directory
        assertThatThrownBy(() -> sub.putFile("d", meta))
                .isInstanceOf(dev.ocitree.operators.LimitExceededException.class)
                .hasMessage("directory '/sub\\ndir' has 3 entries, the most a directory may have"
                        + " (StreamLimits.maxDirectoryEntries); cannot add 'd'");
        assertThatThrownBy(() -> sub.putDir("e", meta)).hasMessageContaining("cannot add 'e'");
        assertThat(sub.files()).hasSize(1);
        assertThat(sub.dirs()).hasSize(2);
    }
}
