package dev.ocitree.testimages;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The images the import tests run on. {@link #rules} covers every layer rule of REGISTRY.md §5
 * (whiteouts, opaque directories in both orders, whiteout and re-creation in one layer, type
 * changes, hardlinks within and across layers, implied parents through a lower symlink, owners,
 * special modes, xattrs, devices and a FIFO); {@link #hostile} tries to write outside the root.
 */
public final class TestImages {

    private TestImages() {
    }

    /** The three layers of the rules image, uncompressed; compress them as a test needs. */
    public static List<LayerBuilder> rules() {
        LayerBuilder l1 = new LayerBuilder()
                .dir(".", 0750, 0, 0)
                .dir("etc").dir("etc/app")
                .file("etc/app/config.txt", "config v1\n")
                .file("etc/app/remove-me.conf", "remove me\n")
                .file("etc/app/recreated-before.conf", "before v1\n")
                .file("etc/app/recreated-after.conf", "after v1\n")
                .dir("opt").dir("opt/app").dir("opt/app/removed-dir")
                .file("opt/app/removed-dir/a", "a\n").file("opt/app/removed-dir/b", "b\n")
                .dir("opaque-dir", 0755, 0, 0)
                .file("opaque-dir/old-a.txt", "old a\n").file("opaque-dir/old-b.txt", "old b\n")
                .dir("opaque-dir/sub").file("opaque-dir/sub/old-c.txt", "old c\n")
                .dir("opaque-first").file("opaque-first/old.txt", "old\n")
                .file("replace-file-with-dir", "was a file\n")
                .dir("replace-dir-with-file").file("replace-dir-with-file/child", "child\n")
                .symlink("symlink-becomes-file", "etc/app/config.txt")
                .file("file-becomes-symlink", "was a file\n")
                .dir("hl")
                .file("hl/original.txt", "hardlinked v1\n")
                .hardlink("hl/link1.txt", "hl/original.txt")
                .hardlink("hl/link2.txt", "./hl/original.txt")
                .symlink("hl/dangling", "does-not-exist")
                .hardlink("hl/link-to-symlink", "hl/dangling", 0777, 0, 0)
                .dir("usr").dir("usr/lib").file("usr/lib/libbase.so", "base lib\n", 0755, 0, 0)
                .symlink("lib", "usr/lib")
                .dir("usr/share").dir("usr/share/app", 0700, 0, 0)
                .file("usr/share/app/data.bin", bytes(100_000), 0644, 0, 0)
                .hardlink("usr/share/app/data-hardlink.bin", "usr/share/app/data.bin")
                .dir("owners")
                .file("owners/user1000", "u\n", 0640, 1000, 1000)
                .file("owners/nobody", "n\n", 0644, 65534, 65534)
                .file("owners/high", "h\n", 0600, 200000, 200001)
                .dir("owners/dir1000", 0750, 1000, 100)
                .symlink("owners/link1000", "user1000", 1000, 1000)
                .dir("modes")
                .file("modes/setuid", "#!/bin/sh\n", 04755, 0, 0)
                .file("modes/setgid", "#!/bin/sh\n", 02755, 0, 0)
                .file("modes/both", "#!/bin/sh\n", 06750, 0, 0)
                .file("modes/readonly", "ro\n", 0444, 0, 0)
                .file("modes/none", "none\n", 0000, 0, 0)
                .dir("modes/sticky", 01777, 0, 0)
                .file("xattr.txt", "with xattr\n").xattr("user.comment", "hello-xattr").xattr("user.another", "second")
                .dir("xattr-dir", 0755, 0, 0).xattr("user.dir-attr", "on a directory")
                .dir("dev")
                .charDevice("dev/mynull", 1, 3)
                .blockDevice("dev/myblock", 7, 0)
                .fifo("dev/myfifo")
                .file("empty", "")
                .file("unicode-ü-日本.txt", "unicode name\n")
                .file("deep/implied/parents/file.txt", "parents implied\n");
        LayerBuilder l2 = new LayerBuilder()
                .dir("etc").dir("etc/app")
                .file("etc/app/config.txt", "config v2\n", 0640, 0, 0)
                .whiteout("etc/app/remove-me.conf")
                .whiteout("etc/app/recreated-before.conf")
                .file("etc/app/recreated-before.conf", "before v2\n")
                .file("etc/app/recreated-after.conf", "after v2\n")
                .whiteout("etc/app/recreated-after.conf")
                .dir("opt").dir("opt/app").whiteout("opt/app/removed-dir")
                .whiteout("etc/never-existed")
                .whiteout("ghost/nothing-here")
                .dir("opaque-dir", 0750, 0, 0)
                .file("opaque-dir/new-file.txt", "new\n")
                .dir("opaque-dir/sub").file("opaque-dir/sub/d.txt", "d\n")
                .opaque("opaque-dir")
                .dir("opaque-first").opaque("opaque-first").file("opaque-first/kept-new.txt", "kept\n")
                .dir("replace-file-with-dir").file("replace-file-with-dir/inside", "inside\n")
                .file("replace-dir-with-file", "now a file\n")
                .file("symlink-becomes-file", "now a file\n")
                .symlink("file-becomes-symlink", "etc/app/config.txt")
                .dir("hl")
                .file("hl/original.txt", "hardlinked v2\n")
                .whiteout("hl/link2.txt")
                .file("lib/x.so", "through the lower symlink\n", 0755, 0, 0);
        LayerBuilder l3 = new LayerBuilder()
                .dir("etc").dir("etc/app")
                .file("etc/app/config.txt", "config v3\n", 0640, 0, 0)
                .dir("opaque-dir").whiteout("opaque-dir/new-file.txt")
                .hardlink("hl/cross-layer", "etc/app/recreated-before.conf")
                .dir("usr/share").whiteout("usr/share/app/data-hardlink.bin")
                .file("usr/share/app/added", "added\n");
        return List.of(l1, l2, l3);
    }

    /** An image from the {@link #rules} layers, each compressed as given (one per layer, or one for all). */
    public static ImageBuilder rules(LayerCompression... compressions) {
        ImageBuilder image = new ImageBuilder();
        List<LayerBuilder> layers = rules();
        for (int i = 0; i < layers.size(); i++) {
            image.layer(layers.get(i), compressions[Math.min(i, compressions.length - 1)]);
        }
        return image;
    }

    /**
     * Layers that try to leave the root: symlinks out of it, then files written "through" them, and
     * {@code ..} and absolute names. The correct tree keeps everything inside (as umoci does).
     */
    public static ImageBuilder hostile(String canary) {
        LayerBuilder l1 = new LayerBuilder()
                .dir("etc")
                .symlink("evil", "../../../../../../.." + canary)
                .symlink("abs", canary)
                .symlink("etc/up", "../..");
        LayerBuilder l2 = new LayerBuilder()
                .file("evil/pwned", "through a relative symlink\n")
                .file("abs/pwned-abs", "through an absolute symlink\n")
                .file("etc/up/etc/up-pwned", "through a .. symlink\n")
                .file("../../../dotdot-escape", "dot-dot\n")
                .file("/absolute-file", "absolute\n")
                .file("./a/../../b", "clamped\n");
        return new ImageBuilder().layer(l1, LayerCompression.GZIP).layer(l2, LayerCompression.GZIP);
    }

    static byte[] bytes(int n) {
        byte[] out = new byte[n];
        long x = 42;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            out[i] = (byte) (x >>> 56);
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
