package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.cli.OcitreeCommand;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ocitree pull} and {@code ocitree remote} through the real command line, against a Basic-auth docker-registry. */
class RegistryCliTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run ocitree(String... args) {
        CommandLine cli = OcitreeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void basicAuthPullThroughARemoteAndWrongCredentialsWriteNothing() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        Path repoPath = tmp.resolve("repo");
        String repo = "--repo=" + repoPath;
        assertThat(ocitree(repo, "init", "--mode=archive").exit()).isZero();
        try (LoopbackRegistry registry = LoopbackRegistry.basic(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "team/rules", "--preserve-digests");
            String direct = "docker://" + registry.host() + "/team/rules:v1";

            Run anonymous = ocitree(repo, "pull", direct);
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).contains("registry " + registry.host(), "team/rules", "401", "--creds");

            Run wrong = ocitree(repo, "pull", direct, "--creds", LoopbackRegistry.USER + ":wrong-password-123");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("401", "authentication failed", "'" + LoopbackRegistry.USER + "'")
                    .contains("UNAUTHORIZED");
            assertThat(wrong.all()).doesNotContain("wrong-password-123");
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", repo)).isBlank();

            Run added = ocitree(repo, "remote", "add", "--oci", "team", "http://" + registry.host() + "/team");
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "list", repo).lines()).containsExactly("team");
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "show-url", repo, "team").trim())
                    .isEqualTo("oci+http://" + registry.host() + "/team");
            assertThat(ocitree(repo, "remote", "list").out()).isEqualTo("team\toci+http://" + registry.host() + "/team\n");

            Run pulled = ocitree(repo, "pull", "team", "rules:v1", "--creds",
                    LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD, "-b", "rules");
            assertThat(pulled.exit()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("3 layers (0 already in the repository)");
            assertThat(pulled.all()).doesNotContain(LoopbackRegistry.PASSWORD);
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", repo))
                    .contains(ContainerRefs.imageRef("team:rules:v1"), "rules");
            assertThat(PeerTools.run(tmp, "ostree", "fsck", repo).exitCode()).isZero();

            Run missing = ocitree(repo, "pull", "team", "rules:v2", "--creds",
                    LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("registry " + registry.host() + ", repository team/rules, manifest v2: HTTP 404",
                    "MANIFEST_UNKNOWN");

            Path authFile = tmp.resolve("auth.json");
            Files.writeString(authFile, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + Base64.getEncoder()
                    .encodeToString((LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Run viaFile = ocitree(repo, "pull", direct, "--authfile", authFile.toString(), "--json");
            assertThat(viaFile.exit()).as(viaFile.err()).isZero();
            assertThat(viaFile.out().lines().reduce((a, b) -> b).orElseThrow()).startsWith("{\"event\":\"Done\"")
                    .contains("\"bytesRead\":0");

            assertThat(ocitree(repo, "remote", "delete", "team").exit()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "list", repo)).isBlank();
            assertThat(ocitree(repo, "remote", "delete", "team").exit()).isEqualTo(1);
        }
    }

    @Test
    void helpOfTheNewCommandsNamesTheirArgumentsAndOptions() {
        assertThat(ocitree("help", "pull").out()).contains("docker://", "REMOTE", "--creds", "--authfile",
                "--cert-dir", "--tls-verify", "--retries", "--platform", "REGISTRY_AUTH_FILE");
        assertThat(ocitree("help", "remote").out()).contains("add", "list", "delete");
        assertThat(ocitree("remote", "help", "add").out()).contains("--oci", "[oci+]https://HOST", "NAMESPACE/IMAGE");
        assertThat(ocitree("--help").out()).contains("pull", "remote");
    }
}
