package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testimages.HelloOciExample;
import dev.ocitree.testsupport.PeerTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ocitree export}: the README example image imported, exported, read by skopeo, imported back. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run ocitree(String... args) {
        CommandLine cli = OcitreeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void exportedImageIsReadBySkopeoAndImportsBackToTheSameCommit() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(ocitree(repo, "init", "--mode=bare-user").exit()).isZero();
        Run imported = ocitree(repo, "import", "oci:" + HelloOciExample.committedLayout() + ":latest", "-b", "example");
        assertThat(imported.exit()).as(imported.err()).isZero();
        String commit = PeerTools.runOk(tmp, "ostree", "rev-parse", repo, "example").trim();
        Run exported = ocitree(repo, "export", "--compress=zstd", "example", "oci-archive:" + tmp.resolve("out.tar") + ":v2");
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).startsWith("exported " + commit + " to oci-archive:").contains("(tag v2)")
                .contains("zstd");
        String manifest = exported.out().lines().filter(l -> l.trim().startsWith("manifest ")).findFirst().orElseThrow()
                .trim().substring("manifest ".length());
        assertThat(PeerTools.runOk(tmp, "skopeo", "inspect", "oci-archive:" + tmp.resolve("out.tar") + ":v2"))
                .contains("\"Digest\": \"" + manifest + "\"");
        String back = "--repo=" + tmp.resolve("back");
        assertThat(ocitree(back, "init", "--mode=archive").exit()).isZero();
        Run again = ocitree(back, "import", "oci-archive:" + tmp.resolve("out.tar") + ":v2");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("  restored ocitree commit " + commit + " -> example");
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", back, "example").trim()).isEqualTo(commit);
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        String repo = "--repo=" + tmp.resolve("repo");
        assertThat(ocitree(repo, "init", "--mode=archive").exit()).isZero();
        Run compress = ocitree(repo, "export", "--compress=lz4", "x", "oci:" + tmp.resolve("o"));
        assertThat(compress.exit()).isNotZero();
        assertThat(compress.err()).contains("--compress=lz4: expected gzip, zstd or none");
        Run dest = ocitree(repo, "export", "x", "docker-daemon:foo");
        assertThat(dest.exit()).isNotZero();
        assertThat(dest.err()).contains("error: destination 'docker-daemon:foo'");
        Run ref = ocitree(repo, "export", "missing", "oci:" + tmp.resolve("o"));
        assertThat(ref.exit()).isNotZero();
        assertThat(ref.err()).startsWith("error: ").contains("missing");
    }

    @Test
    void helpDescribesDestinationsAndCompression() {
        Run help = ocitree("help", "export");
        assertThat(help.out()).contains("oci:DIR[:TAG]").contains("oci-archive:FILE[:TAG]").contains("--compress")
                .contains("gzip|zstd|none");
        assertThat(ocitree("--help").out()).contains("export");
    }
}
