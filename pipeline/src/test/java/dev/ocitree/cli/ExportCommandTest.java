package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testimages.HelloOciExample;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocitree export}: the README example image imported, exported, read by skopeo, imported back. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void exportedImageIsReadBySkopeoAndImportsBackToTheSameCommit() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(Cli.run(repo, "init", "--mode=bare-user").exit()).isZero();
        Cli.Run imported = Cli.run(repo, "import", "oci:" + HelloOciExample.committedLayout() + ":latest", "-b", "example");
        assertThat(imported.exit()).as(imported.err()).isZero();
        String commit = PeerTools.runOk(tmp, "ostree", "rev-parse", repo, "example").trim();
        Cli.Run exported = Cli.run(repo, "export", "--compress=zstd", "example", "oci-archive:" + tmp.resolve("out.tar") + ":v2");
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).startsWith("exported " + commit + " to oci-archive:").contains("(tag v2)")
                .contains("zstd");
        String manifest = exported.out().lines().filter(l -> l.trim().startsWith("manifest ")).findFirst().orElseThrow()
                .trim().substring("manifest ".length());
        assertThat(PeerTools.runOk(tmp, "skopeo", "inspect", "oci-archive:" + tmp.resolve("out.tar") + ":v2"))
                .contains("\"Digest\": \"" + manifest + "\"");
        String back = "--repo=" + tmp.resolve("back");
        assertThat(Cli.run(back, "init", "--mode=archive").exit()).isZero();
        Cli.Run again = Cli.run(back, "import", "oci-archive:" + tmp.resolve("out.tar") + ":v2");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("  restored ocitree commit " + commit + " -> example");
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", back, "example").trim()).isEqualTo(commit);
    }

    @Test
    void exportImageWritesTheOriginalConfigAndLayersAndRefusesAnUnknownImage() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(Cli.run(repo, "init", "--mode=bare-user-only").exit()).isZero();
        String source = "oci:" + HelloOciExample.committedLayout() + ":latest";
        Cli.Run imported = Cli.run(repo, "import", source);
        assertThat(imported.exit()).as(imported.err()).isZero();
        Cli.Run exported = Cli.run(repo, "export", "--image", source, "oci:" + tmp.resolve("out") + ":back");
        assertThat(exported.exit()).as(exported.err()).isZero();
        String out = "oci:" + tmp.resolve("out") + ":back";
        assertThat(PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", out))
                .isEqualTo(PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", source));
        String originalDiffIds = PeerTools.runOk(tmp, "sh", "-c", "skopeo inspect --config " + source
                + " | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"rootfs\"][\"diff_ids\"])'");
        for (String line : exported.out().lines().filter(l -> l.trim().startsWith("diff_id ")).toList()) {
            assertThat(originalDiffIds).contains(line.trim().split("\\s+")[1]);
        }
        assertThat(exported.out().lines().filter(l -> l.trim().startsWith("diff_id "))).isNotEmpty();
        Cli.Run unknown = Cli.run(repo, "export", "--image", "oci:/nowhere:latest", "oci:" + tmp.resolve("o2"));
        assertThat(unknown.exit()).isOne();
        assertThat(unknown.err()).startsWith("error: no image named 'oci:/nowhere:latest'");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(Cli.run(repo, "init", "--mode=archive").exit()).isZero();
        Cli.Run compress = Cli.run(repo, "export", "--compress=lz4", "x", "oci:" + tmp.resolve("o"));
        assertThat(compress.exit()).isNotZero();
        assertThat(compress.err()).contains("--compress=lz4: expected gzip, zstd or none");
        Cli.Run dest = Cli.run(repo, "export", "x", "docker-daemon:foo");
        assertThat(dest.exit()).isNotZero();
        assertThat(dest.err()).contains("error: destination 'docker-daemon:foo'");
        Cli.Run ref = Cli.run(repo, "export", "missing", "oci:" + tmp.resolve("o"));
        assertThat(ref.exit()).isNotZero();
        assertThat(ref.err()).startsWith("error: ").contains("missing");
    }

    @Test
    void helpDescribesDestinationsAndCompression() {
        Cli.Run help = Cli.run("help", "export");
        assertThat(help.out()).contains("oci:DIR[:TAG]").contains("oci-archive:FILE[:TAG]").contains("--compress")
                .contains("gzip|zstd|none").contains("--image").contains("original");
        assertThat(Cli.run("--help").out()).contains("export");
    }
}
