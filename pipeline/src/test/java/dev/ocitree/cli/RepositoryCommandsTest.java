package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository subcommands behave like their ostree counterparts, and fail with one clear line. */
class RepositoryCommandsTest {

    @TempDir
    Path dir;

    private Path sampleTree() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("hello.txt"), "Hello, OSTree!\n");
        Files.createDirectories(tree.resolve("sub/deeper"));
        Files.writeString(tree.resolve("sub/nested.txt"), "nested\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("hello.txt"));
        Path run = Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(run, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return tree;
    }

    @Test
    void commandsMatchOstree() throws Exception {
        Path tree = sampleTree();
        String repo = "--repo=" + dir.resolve("ours");
        Path theirs = dir.resolve("theirs");
        Cli.ok(repo, "init", "--mode=archive");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + theirs, "--mode=archive");
        String[] commitArgs = {"--tree=dir=" + tree, "-b", "os/main", "-s", "Subject", "--body", "Body\ntwo",
            "--timestamp=@1609459200", "--add-metadata-string=version=1.0"};
        for (int i = 0; i < 2; i++) {
            String ours = Cli.ok(Stream.concat(Stream.of(repo, "commit"), Stream.of(commitArgs)).toArray(String[]::new));
            String real = PeerTools.runOk(dir, Stream.concat(Stream.of("ostree", "commit", "--repo=" + theirs),
                    Stream.of(commitArgs)).toArray(String[]::new));
            assertThat(ours).isEqualTo(real);
        }
        assertThat(Cli.ok(repo, "refs")).isEqualTo("os/main\n");
        Path oursPath = dir.resolve("ours");
        assertThat(Cli.ok(repo, "log", "os/main"))
                .isEqualTo(PeerTools.runOk(dir, "ostree", "log", "--repo=" + oursPath, "os/main"));
        assertThat(Cli.ok(repo, "ls", "-R", "os/main"))
                .isEqualTo(PeerTools.runOk(dir, "ostree", "ls", "-R", "--repo=" + oursPath, "os/main"));
        assertThat(Cli.ok(repo, "ls", "os/main", "/sub", "/hello.txt"))
                .isEqualTo(PeerTools.runOk(dir, "ostree", "ls", "--repo=" + oursPath, "os/main", "/sub", "/hello.txt"));
        assertThat(Cli.okSystemOut(repo, "cat", "os/main", "/hello.txt", "/sub/nested.txt")).isEqualTo("Hello, OSTree!\nnested\n");
        Cli.ok(repo, "checkout", "os/main", dir.resolve("co").toString());
        PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + oursPath, "os/main", dir.resolve("co-real").toString());
        assertThat(listing(dir.resolve("co"))).isEqualTo(listing(dir.resolve("co-real")));
        assertThat(Cli.ok(repo, "fsck")).contains("0 corrupt, 0 missing");
        Cli.ok(repo, "refs", "--delete", "os/main");
        assertThat(Cli.ok(repo, "refs")).isEmpty();
    }

    @Test
    void errorsAreOneLineOnStderrWithNonZeroExit() throws Exception {
        String repo = "--repo=" + dir.resolve("r");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Cli.ok(repo, "commit", "--tree=dir=" + sampleTree(), "-b", "main");
        for (List<String> args : List.of(
                List.of(repo, "ls", "main", "/nope"),
                List.of(repo, "log", "nosuchref"),
                List.of("--repo=" + dir.resolve("missing"), "refs"),
                List.of("--repo=" + dir.resolve("bare"), "init", "--mode=bare"))) {
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s", args).isNotZero();
            assertThat(r.err().lines().toList()).as("%s", args).hasSize(1).first().asString().startsWith("error: ")
                    .doesNotContain("Exception");
        }
        assertThat(Cli.run(repo, "ls", "main", "/nope").err()).contains("/nope").contains("no such file");
        assertThat(Cli.run(repo, "log", "nosuchref").err()).contains("nosuchref");
        Cli.Run verbose = Cli.run("--verbose", repo, "log", "nosuchref");
        assertThat(verbose.err()).contains("RefNotFoundException").contains("\tat ");
    }

    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> {
                try {
                    return root.relativize(p) + " " + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode",
                            java.nio.file.LinkOption.NOFOLLOW_LINKS)) + " "
                            + (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : "");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).sorted().toList();
        }
    }
}
