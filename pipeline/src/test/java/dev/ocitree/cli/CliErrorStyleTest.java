package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global options anywhere, one error style, exit codes, JSON errors, escaped names. */
class CliErrorStyleTest {

    @TempDir
    Path tmp;

    private String repo() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Path tree = Files.createDirectories(tmp.resolve("tree/etc"));
        Files.writeString(tree.resolve("motd"), "hi\n");
        Cli.ok(repo, "commit", "--tree=dir=" + tmp.resolve("tree"), "-b", "main", "--timestamp=@0");
        return repo;
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() throws Exception {
        String repo = repo();
        String expected = Cli.ok(repo, "ls", "main", "/etc");
        assertThat(Cli.ok("ls", repo, "main", "/etc")).isEqualTo(expected);
        assertThat(Cli.ok("ls", "main", "/etc", repo)).isEqualTo(expected);
        assertThat(Cli.ok("ls", "main", "--repo", tmp.resolve("repo").toString(), "/etc", "-v")).isEqualTo(expected);
        assertThat(Cli.ok("images", "rm", "--help")).startsWith("Usage: ocitree images rm");
        assertThat(Cli.ok("layers", repo, "--json")).isEmpty();
    }

    @Test
    void missingOrEmptyRepositoryIsAUsageError() {
        for (List<String> args : List.of(List.of("--repo=", "refs"), List.of("refs", "--repo="))) {
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s", args).isEqualTo(2);
            assertThat(r.err()).as("%s", args).startsWith("error: empty repository path")
                    .contains("Try 'ocitree refs --help'");
        }
        Cli.Run unknown = Cli.run("ls", "main", "--bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: ").contains("--bogus");
    }

    @Test
    void failuresAreOneErrorLineInWordsWithExitOne() throws Exception {
        String repo = repo();
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        record Case(List<String> args, String... contains) {
        }
        for (Case c : List.of(
                new Case(List.of(repo, "commit", "--tree=dir=/nonexist", "-b", "x"), "dir=/nonexist",
                        "no such file or directory"),
                new Case(List.of(repo, "log", "main^"), "main^", "has no parent"),
                new Case(List.of(repo, "ls", "main^^", "/"), "main^", "has no parent"),
                new Case(List.of(repo, "images", "rm", "nosuch"), "no image named 'nosuch'"),
                new Case(List.of(repo, "checkout", "main", existing.toString()), "to " + existing + ": checkout destination already exists"),
                new Case(List.of(repo, "checkout", "main", tmp.resolve("no/parent/co").toString()),
                        tmp.resolve("no/parent").toString(), "does not exist"),
                new Case(List.of(repo, "cat", "main", "/etc"), "/etc", "is a directory"),
                new Case(List.of(repo, "import", "oci:" + tmp.resolve("nope")), tmp.resolve("nope").toString()))) {
            Cli.Run r = Cli.run(c.args().toArray(String[]::new));
            assertThat(r.exit()).as("%s: %s", c.args(), r.err()).isEqualTo(1);
            assertThat(r.out()).as("%s", c.args()).isEmpty();
            assertThat(r.err().lines().toList()).as("%s", c.args()).hasSize(1);
            assertThat(r.err()).as("%s", c.args()).startsWith("error: ").contains(c.contains())
                    .doesNotContain("Exception", "java.", "ostree/container/image");
        }
        assertThat(Files.exists(tmp.resolve("no"))).isFalse();
        Cli.Run verbose = Cli.run(repo, "log", "main^", "-v");
        assertThat(verbose.err()).contains("CommandFailedException", "\tat ");
    }

    @Test
    void jsonErrorsAreAnErrorEventOnStdout() throws Exception {
        String repo = repo();
        Cli.Run r = Cli.run(repo, "--json", "log", "nosuchref");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode event = new ObjectMapper().readTree(r.out());
        assertThat(event.get("event").asText()).isEqualTo("Error");
        assertThat(event.get("exit").asInt()).isEqualTo(1);
        assertThat(event.get("message").asText()).contains("nosuchref");
        assertThat(r.err()).startsWith("error: ");
        Cli.Run usage = Cli.run("refs", "--json", "--repo=");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(new ObjectMapper().readTree(usage.out()).get("exit").asInt()).isEqualTo(2);
    }

    @Test
    void controlCharactersInNamesCannotForgeALine() throws Exception {
        String repo = repo();
        Cli.Run cat = Cli.run(repo, "cat", "main", "/etc/x\nerror: forged\u001b[2K\u202e");
        assertThat(cat.exit()).isEqualTo(1);
        assertThat(cat.err().lines().toList()).hasSize(1).first().asString()
                .contains("x\\nerror: forged\\x1b[2K<U+202E>").doesNotContain("\u001b");

        Path archive = new ImageBuilder()
                .layer(new LayerBuilder().dir("dev").charDevice("dev/evil\nerror: forged", 1, 3).file("app", "a\n"),
                        LayerCompression.GZIP)
                .writeDockerArchive(tmp.resolve("evil.tar"), "example.com/evil:1");
        Cli.Run imported = Cli.run(repo, "import", "docker-archive:" + archive);
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.err().lines().filter(l -> l.startsWith("error"))).isEmpty();
        assertThat(imported.err()).contains("skipped char-device(1,3) dev/evil\\nerror: forged in layer");
        assertThat(imported.out()).contains("1 layer (0 already in the repository)", "1 entry skipped");
    }
}
