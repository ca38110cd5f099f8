package dev.ocitree.exports;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Random;

/** Trees and commits made by the real {@code ostree} for export tests (and the push tests of the registry package). */
public final class ExportFixtures {

    private ExportFixtures() {
    }

    /**
     * A tree with nested and empty directories, unicode names, symlinks, an empty file, a 3 MiB
     * file, two files with the same content; with {@code rich}: setuid/sticky bits, group-writable
     * modes, another owner and user xattrs (what bare-user-only cannot hold).
     */
    public static Path tree(Path root, boolean rich) throws IOException {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("usr/share/doc/ünïcødé"));
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=ocitree\n");
        Files.writeString(root.resolve("usr/share/doc/ünïcødé/README"), "read me\n");
        Files.writeString(root.resolve("usr/share/doc/copy"), "read me\n");
        Files.write(root.resolve("usr/share/doc/empty"), new byte[0]);
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(big);
        Files.write(root.resolve("usr/bin/tool"), big);
        Files.setPosixFilePermissions(root.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("usr/bin/alias"), Path.of("tool"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/" + "l".repeat(150)));
        Files.writeString(root.resolve("usr/share/" + "long-name-".repeat(12)), "long\n");
        if (rich) {
            Files.setPosixFilePermissions(root.resolve("empty"), PosixFilePermissions.fromString("rwxrwxrwx"));
            PeerTools.runOk(root, "chmod", "1777", root.resolve("empty").toString());
            PeerTools.runOk(root, "chmod", "4755", root.resolve("usr/bin/tool").toString());
            PeerTools.runOk(root, "chmod", "0664", root.resolve("etc/os-release").toString());
            PeerTools.runOk(root, "chown", "-h", "1000:1001", root.resolve("etc/os-release").toString(),
                    root.resolve("usr/bin/alias").toString(), root.resolve("usr/share").toString());
            UserDefinedFileAttributeView x = Files.getFileAttributeView(root.resolve("etc/os-release"),
                    UserDefinedFileAttributeView.class);
            x.write("test.b", ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xfe}));
            x.write("test.a", ByteBuffer.wrap("value".getBytes(StandardCharsets.UTF_8)));
            Files.getFileAttributeView(root.resolve("usr"), UserDefinedFileAttributeView.class)
                    .write("test.dir", ByteBuffer.wrap(new byte[] {7}));
        }
        return root;
    }

    /**
     * In {@code repo} (created with {@code mode}), {@code ostree commit}s a parent (the tree minus
     * {@code usr/share}) and then the whole tree on branch {@code ref} with a subject, a body, a
     * timestamp, metadata of several GVariant types and detached metadata. Returns the child's checksum.
     */
    public static String commitWithHistory(Path repo, String mode, Path tree, String ref) throws IOException {
        Path work = repo.getParent();
        PeerTools.runOk(work, "ostree", "init", "--repo=" + repo, "--mode=" + mode);
        PeerTools.runOk(work, "ostree", "commit", "--repo=" + repo, "-b", ref, "--tree=dir=" + tree.resolve("etc"),
                "--timestamp=2024-01-01T00:00:00Z", "-s", "parent");
        return PeerTools.runOk(work, "ostree", "commit", "--repo=" + repo, "-b", ref, "--tree=dir=" + tree,
                "--timestamp=2024-05-06T07:08:09Z", "-s", "the subject", "--body=a body\nof two lines",
                "--add-metadata-string=version=1.2.3",
                "--add-metadata=count=uint32 42", "--add-metadata=big=int64 -5000000000",
                "--add-metadata=flag=true", "--add-metadata=list=['a', 'b', 'ccc']",
                "--add-metadata=bytes=[byte 0x00, 0xff]", "--add-metadata=nested={'k': <'v'>}",
                "--add-detached-metadata-string=signed-by=tester").trim();
    }
}
