package dev.ocitree.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/custom-pipeline/DropDocsImport.java} compiles against the public API and does
 * what it says: the merged commit equals {@code ostree commit} of the image's tree without
 * {@code usr/share/doc} and owned by root (bare-user keeps owners, so a missed rewrite shows), and
 * {@code ostree fsck} accepts the repository.
 */
class CustomPipelineExampleTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "custom-pipeline", "DropDocsImport.java");

    @TempDir
    Path tmp;

    @Test
    void dropDocsExampleImportsTheImageWithoutDocsOwnedByRoot() throws Exception {
        Path layout = new ImageBuilder()
                .layer(new LayerBuilder()
                        .dir("usr", 0755, 0, 0).dir("usr/bin", 0755, 0, 0)
                        .file("usr/bin/app", "#!/bin/sh\necho app\n", 0755, 1000, 1000)
                        .dir("usr/share", 0755, 0, 0).dir("usr/share/doc", 0755, 0, 0)
                        .dir("usr/share/doc/app", 0755, 1000, 1000)
                        .file("usr/share/doc/app/README", "read me\n", 0644, 1000, 1000)
                        .dir("etc", 0755, 0, 0)
                        .file("etc/app.conf", "key=value\n", 0640, 1000, 1000)
                        .file("etc/old.conf", "old\n", 0644, 0, 0), LayerCompression.GZIP)
                .layer(new LayerBuilder()
                        .file("usr/share/doc/app/CHANGES", "changes\n", 0644, 1000, 1000)
                        .whiteout("etc/old.conf")
                        .symlink("usr/bin/app-link", "app", 1000, 1000), LayerCompression.ZSTD)
                .writeLayout(tmp.resolve("layout"), "latest");
        Path repo = tmp.resolve("repo");
        OstreeRepository.init(repo, RepoMode.BARE_USER).close();

        String printed = runExample(repo.toString(), "oci:" + layout + ":latest", "custom");
        assertThat(printed).matches("custom [0-9a-f]{64}\\s*");

        Path expected = Files.createDirectories(tmp.resolve("expected"));
        write(expected.resolve("usr/bin/app"), "#!/bin/sh\necho app\n", "rwxr-xr-x");
        write(expected.resolve("etc/app.conf"), "key=value\n", "rw-r-----");
        Files.createSymbolicLink(expected.resolve("usr/bin/app-link"), Path.of("app"));
        Files.createDirectories(expected.resolve("usr/share"));
        for (Path dir : List.of(expected, expected.resolve("usr"), expected.resolve("usr/bin"),
                expected.resolve("usr/share"), expected.resolve("etc"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path theirs = tmp.resolve("theirs");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + theirs, "--mode=bare-user");
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + theirs, "--tree=dir=" + expected, "-b", "expected",
                "--owner-uid=0", "--owner-gid=0", "--no-bindings");

        assertThat(ls(repo, "custom")).isEqualTo(ls(theirs, "expected")).doesNotContain("doc");
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repo).exitCode()).isZero();
    }

    /** Compiles the example against the test class path and runs its main in this JVM (BlockHound on). */
    private String runExample(String... args) throws Exception {
        assertThat(EXAMPLE).exists();
        Path classes = Files.createDirectories(tmp.resolve("example-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), EXAMPLE.toString());
        assertThat(rc).as("javac of " + EXAMPLE).isZero();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("DropDocsImport").getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void write(Path file, String content, String perms) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    }

    private static String ls(Path repo, String ref) {
        return PeerTools.runOk(repo, "ostree", "ls", "--repo=" + repo, "-R", "-X", "-C", ref);
    }
}
