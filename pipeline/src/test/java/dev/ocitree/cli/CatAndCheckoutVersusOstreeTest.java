package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** cat follows symlinks inside the commit; checkout gives ostree checkout -U's modes and never exposes repository xattrs. */
class CatAndCheckoutVersusOstreeTest {

    @TempDir
    Path tmp;

    private Path symlinkTree() throws Exception {
        Path t = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(t.resolve("a"));
        Files.createDirectories(t.resolve("b"));
        Files.writeString(t.resolve("a/f"), "the file\n");
        Files.createSymbolicLink(t.resolve("a/same"), Path.of("f"));
        Files.createSymbolicLink(t.resolve("b/abs"), Path.of("/a/f"));
        Files.createSymbolicLink(t.resolve("b/rel"), Path.of("../a/f"));
        Files.createSymbolicLink(t.resolve("dirlink"), Path.of("a"));
        Files.createSymbolicLink(t.resolve("b/chain"), Path.of("../dirlink/same"));
        Files.createSymbolicLink(t.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(t.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(t.resolve("dangling"), Path.of("nowhere"));
        return t;
    }

    @Test
    void catFollowsSymlinksInsideTheCommit() throws Exception {
        Path tree = symlinkTree();
        Path repo = tmp.resolve("repo");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + repo, "--mode=archive");
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + repo, "-b", "main", "--tree=dir=" + tree);
        // where ostree cat follows a link, the same bytes
        for (String path : List.of("/a/f", "/a/same", "/b/abs")) {
            assertThat(cat(repo, path)).as(path).isEqualTo(PeerTools.runOk(tmp, "ostree", "cat", "--repo=" + repo, "main", path));
        }
        // links through directories and '..' (ostree cat stops there): what the kernel resolves in a checkout
        Path co = tmp.resolve("co");
        PeerTools.runOk(tmp, "ostree", "checkout", "-U", "--repo=" + repo, "main", co.toString());
        for (String path : List.of("/b/rel", "/dirlink/f", "/dirlink/same", "/b/chain")) {
            assertThat(cat(repo, path)).as(path).isEqualTo(PeerTools.runOk(tmp, "cat", co + path));
        }
        Cli.Run loop = Cli.run("--repo=" + repo, "cat", "main", "/loop1");
        assertThat(loop.exit()).isEqualTo(1);
        assertThat(loop.err()).contains("/loop1", "too many levels of symbolic links");
        Cli.Run dangling = Cli.run("--repo=" + repo, "cat", "main", "/dangling");
        assertThat(dangling.exit()).isEqualTo(1);
        assertThat(dangling.err()).contains("/nowhere", "no such file or directory");
    }

    private static String cat(Path repo, String path) {
        return Cli.okSystemOut("--repo=" + repo, "cat", "main", path);
    }

    private Path modeTree() throws Exception {
        Path t = Files.createDirectories(tmp.resolve("modes"));
        for (String m : List.of("0000", "0007", "0070", "0200", "0444", "0600", "0644", "0666", "0766", "0777", "1755",
                "2755", "4755", "6777")) {
            Path f = Files.writeString(t.resolve("f" + m), "content " + m + "\n");
            Path e = Files.createFile(t.resolve("e" + m));
            PeerTools.runOk(tmp, "chmod", m, f.toString(), e.toString());
        }
        Path d0 = Files.createDirectories(t.resolve("d0"));
        Path sticky = Files.createDirectories(t.resolve("sticky"));
        Files.writeString(sticky.resolve("in"), "in\n");
        PeerTools.runOk(tmp, "chmod", "1777", sticky.toString());
        PeerTools.runOk(tmp, "chmod", "0000", d0.toString());
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"archive", "bare-user", "bare-user-only"})
    void checkoutGivesOstreeModesAndNoRepositoryMetadata(String mode) throws Exception {
        Path tree = modeTree();
        Path repo = tmp.resolve("repo");
        Cli.ok("--repo=" + repo, "init", "--mode=" + mode);
        Cli.ok("--repo=" + repo, "commit", "--tree=dir=" + tree, "-b", "main");
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        Cli.ok("--repo=" + repo, "checkout", "main", ours.toString());
        PeerTools.runOk(tmp, "ostree", "checkout", "-U", "--repo=" + repo, "main", theirs.toString());
        try {
            assertThat(listing(ours)).isEqualTo(listing(theirs));
            try (Stream<Path> files = Files.walk(ours)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    assertThat(Files.getFileAttributeView(f, UserDefinedFileAttributeView.class).list())
                            .as("xattrs of %s", f).doesNotContain("ostreemeta");
                    if (!mode.equals("bare-user-only")) {
                        assertThat(Files.getAttribute(f, "unix:nlink")).as("links of %s", f).isEqualTo(1);
                    }
                }
            }
        } finally {
            PeerTools.runOk(tmp, "chmod", "-R", "u+rwx", ours.toString(), theirs.toString());
        }
    }

    /** Each path with its type, permission bits and content; unreadable directories (mode 0000) listed, not entered. */
    private static List<String> listing(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                add(file);
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p) throws IOException {
                int m = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (m & 0400) != 0
                        ? Files.readString(p).strip() : "";
                out.add(root.relativize(p) + " " + Integer.toOctalString(m) + " " + content);
            }
        });
        out.sort(null);
        return out;
    }
}
