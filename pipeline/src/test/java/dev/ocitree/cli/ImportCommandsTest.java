package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.testimages.HelloOciExample;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command and the image commands, run through the real command line; checked with real ostree. */
class ImportCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void readmeFirstCommandImportsTheBundledExample() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(Cli.run(repo, "init", "--mode=bare-user-only").exit()).isZero();
        Cli.Run imported = Cli.run(repo, "import", "oci:" + HelloOciExample.committedLayout() + ":latest", "-b", "example");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("2 layers");
        Cli.Run ls = Cli.run(repo, "ls", "-R", "example");
        assertThat(ls.out()).contains("/usr/share/hello/message.txt", "/usr/share/hello/added.txt")
                .doesNotContain("obsolete", ".wh.");
        assertThat(PeerTools.runOk(tmp, "ostree", "cat", repo, "example", "/etc/hello.conf"))
                .isEqualTo("greeting=hello, world\n");
        assertThat(PeerTools.run(tmp, "ostree", "fsck", repo).exitCode()).isZero();
    }

    @Test
    void imagesLayersRemoveAndPrune() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(Cli.run(repo, "init", "--mode=archive").exit()).isZero();
        Path archive = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/os-release", "ID=test\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().dir("dev").charDevice("dev/null", 1, 3).file("app", "app\n"), LayerCompression.ZSTD)
                .writeDockerArchive(tmp.resolve("image.tar"), "example.com/team/app:1.0");
        String name = "docker-archive:" + archive + ":example.com/team/app:1.0";
        Cli.Run imported = Cli.run(repo, "import", name, "--json");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out().lines().reduce((a, b) -> b).orElseThrow()).startsWith("{\"event\":\"Done\"")
                .contains("\"skipped\":[\"char-device(1,3) dev/null\"]");
        Cli.Run plain = Cli.run(repo, "import", name);
        assertThat(plain.out()).contains("2 layers (2 already in the repository), 0 B read");

        Cli.Run images = Cli.run(repo, "images", "--json");
        assertThat(images.out()).contains("\"name\":\"" + name + "\"", ContainerRefs.imageRef(name));
        assertThat(Cli.run(repo, "layers").out().lines().count()).isEqualTo(3);

        long before = objects(tmp.resolve("repo"));
        assertThat(Cli.run(repo, "images", "rm", name).exit()).isZero();
        Cli.Run prune = Cli.run(repo, "prune");
        assertThat(prune.exit()).isZero();
        assertThat(prune.out()).contains("removed 2 layer refs");
        assertThat(objects(tmp.resolve("repo"))).isLessThan(before);
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", repo)).isBlank();
        assertThat(PeerTools.run(tmp, "ostree", "fsck", repo).exitCode()).isZero();

        Cli.Run missing = Cli.run(repo, "import", "oci:" + tmp.resolve("nope"));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("not a directory");
    }

    private static long objects(Path repo) throws Exception {
        try (var walk = Files.walk(repo.resolve("objects"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
