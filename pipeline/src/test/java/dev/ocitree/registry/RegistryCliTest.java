package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.cli.Cli;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocitree pull} and {@code ocitree remote} through the real command line, against a Basic-auth docker-registry. */
class RegistryCliTest {

    @TempDir
    Path tmp;



    @Test
    void basicAuthPullThroughARemoteAndWrongCredentialsWriteNothing() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        Path repoPath = tmp.resolve("repo");
        String repo = "--repo=" + repoPath;
        assertThat(Cli.run(repo, "init", "--mode=archive").exit()).isZero();
        try (LoopbackRegistry registry = LoopbackRegistry.basic(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "team/rules", "--preserve-digests");
            String direct = "docker://" + registry.host() + "/team/rules:v1";

            Cli.Run anonymous = Cli.run(repo, "pull", direct);
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).contains("registry " + registry.host(), "team/rules", "401", "--creds");

            Cli.Run wrong = Cli.run(repo, "pull", direct, "--creds", LoopbackRegistry.USER + ":wrong-password-123");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("401", "authentication failed", "'" + LoopbackRegistry.USER + "'")
                    .contains("UNAUTHORIZED");
            assertThat(wrong.all()).doesNotContain("wrong-password-123");
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", repo)).isBlank();

            Cli.Run added = Cli.run(repo, "remote", "add", "--oci", "team", "http://" + registry.host() + "/team");
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "list", repo).lines()).containsExactly("team");
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "show-url", repo, "team").trim())
                    .isEqualTo("oci+http://" + registry.host() + "/team");
            assertThat(Cli.run(repo, "remote", "list").out()).isEqualTo("team\toci+http://" + registry.host() + "/team\n");

            Cli.Run pulled = Cli.run(repo, "pull", "team", "rules:v1", "--creds",
                    LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD, "-b", "rules");
            assertThat(pulled.exit()).as(pulled.err()).isZero();
            assertThat(pulled.out()).contains("3 layers (0 already in the repository)");
            assertThat(pulled.all()).doesNotContain(LoopbackRegistry.PASSWORD);
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", repo))
                    .contains(ContainerRefs.imageRef("team:rules:v1"), "rules");
            assertThat(PeerTools.run(tmp, "ostree", "fsck", repo).exitCode()).isZero();

            Cli.Run missing = Cli.run(repo, "pull", "team", "rules:v2", "--creds",
                    LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("registry " + registry.host() + ", repository team/rules, manifest v2: HTTP 404",
                    "MANIFEST_UNKNOWN");

            Path authFile = tmp.resolve("auth.json");
            Files.writeString(authFile, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + Base64.getEncoder()
                    .encodeToString((LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Cli.Run viaFile = Cli.run(repo, "pull", direct, "--authfile", authFile.toString(), "--json");
            assertThat(viaFile.exit()).as(viaFile.err()).isZero();
            assertThat(viaFile.out().lines().reduce((a, b) -> b).orElseThrow()).startsWith("{\"event\":\"Done\"")
                    .contains("\"bytesRead\":0");

            assertThat(Cli.run(repo, "remote", "delete", "team").exit()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "remote", "list", repo)).isBlank();
            assertThat(Cli.run(repo, "remote", "delete", "team").exit()).isEqualTo(1);
        }
    }

    @Test
    void helpOfTheNewCommandsNamesTheirArgumentsAndOptions() {
        assertThat(Cli.run("help", "pull").out()).contains("docker://", "REMOTE", "--creds", "--authfile",
                "--cert-dir", "--tls-verify", "--retries", "--platform", "REGISTRY_AUTH_FILE");
        assertThat(Cli.run("help", "remote").out()).contains("add", "list", "delete");
        assertThat(Cli.run("remote", "help", "add").out()).contains("--oci", "[oci+]https://HOST", "NAMESPACE/IMAGE");
        assertThat(Cli.run("--help").out()).contains("pull", "remote");
    }
}
