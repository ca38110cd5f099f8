package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.oci.InvalidSourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/** Image names, challenges, auth file lookup and remote URLs: the parsing a pull starts with. */
class RegistryNamesTest {

    @TempDir
    Path tmp;

    @Test
    void shortNamesExpandAsDockerDoes() {
        assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("docker.io", "library/busybox", "latest", null));
        assertThat(ImageReference.parse("team/app:1.0")).isEqualTo(new ImageReference("docker.io", "team/app", "1.0", null));
        assertThat(ImageReference.parse("index.docker.io/busybox").registry()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("docker.io/busybox").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("localhost/app")).isEqualTo(new ImageReference("localhost", "app", "latest", null));
        assertThat(ImageReference.parse("127.0.0.1:5000/a/b/c:v2").isLoopback()).isTrue();
        String digest = "sha256:" + "ab".repeat(32);
        assertThat(ImageReference.parse("quay.io/fedora/fedora@" + digest))
                .isEqualTo(new ImageReference("quay.io", "fedora/fedora", null, digest));
        assertThat(ImageReference.parse("quay.io/fedora/fedora:40@" + digest).reference()).isEqualTo(digest);
        assertThat(ImageReference.parse("quay.io/fedora/fedora:40").isLoopback()).isFalse();
    }

    @Test
    void badNamesAreInvalidSources() {
        for (String bad : List.of("Team/App", "quay.io/UPPER", "app@sha256:12", "app:bad tag", "quay.io/", "a//b", "")) {
            assertThatThrownBy(() -> ImageReference.parse(bad)).as(bad).isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        var io = Schedulers.immediate();
        assertThatThrownBy(() -> RegistrySource.open("docker:quay.io/x", RegistryOptions.defaults(), io))
                .isInstanceOf(InvalidSourceException.class);
        assertThatThrownBy(() -> RegistrySource.open("ostree-unverified-image:docker:quay.io/x", RegistryOptions.defaults(), io))
                .hasMessageContaining("docker://");
        assertThat(RegistrySource.open("ostree-unverified-image:registry:quay.io/x:1", RegistryOptions.defaults(), io))
                .isInstanceOfSatisfying(RegistrySource.class, s -> assertThat(s.image().toString()).isEqualTo("quay.io/x:1"));
        assertThat(RegistrySource.open("ostree-unverified-image:oci:/some/dir:v1", RegistryOptions.defaults(), io).name())
                .isEqualTo("oci:/some/dir:v1");
    }

    @Test
    void challengesWithQuotedCommasAndSeveralSchemes() {
        List<Challenge> parsed = Challenge.parse(List.of(
                "Basic realm=\"r\"",
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                        + "scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\""));
        assertThat(parsed).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        Challenge bearer = Challenge.preferred(parsed);
        assertThat(bearer.param("realm")).isEqualTo("https://auth.example.com/token");
        assertThat(bearer.param("scope")).isEqualTo("repository:a/b:pull,push");
        assertThat(bearer.param("error")).isEqualTo("insufficient_scope");
        assertThat(Challenge.parse(List.of("BASIC realm=plain")).get(0).params()).containsEntry("realm", "plain");
        assertThat(Challenge.parse(List.of("Bearer realm=\"a\\\"b\"")).get(0).param("realm")).isEqualTo("a\"b");
    }

    @Test
    void authFilesAreSearchedInContainersAuthOrderMostSpecificKeyFirst() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path runtime = Files.createDirectories(tmp.resolve("run"));
        write(home.resolve(".docker/config.json"), Map.of("https://index.docker.io/v1/", "hub:hubpw",
                "registry.example.com", "docker:dockerpw"));
        write(runtime.resolve("containers/auth.json"), Map.of("registry.example.com/team", "team:teampw",
                "registry.example.com", "host:hostpw"));
        RegistryOptions options = RegistryOptions.defaults().authEnvironment(Map.of("XDG_RUNTIME_DIR", runtime.toString()), home);

        assertThat(AuthFiles.lookup(options, "registry.example.com", "team/app").username()).isEqualTo("team");
        assertThat(AuthFiles.lookup(options, "registry.example.com", "other/app").username()).isEqualTo("host");
        assertThat(AuthFiles.lookup(options, "docker.io", "library/busybox").username()).isEqualTo("hub");
        assertThat(AuthFiles.lookup(options, "quay.io", "x/y")).isNull();
        assertThat(AuthFiles.lookup(options.credentials("cli:clipw"), "registry.example.com", "team/app"))
                .satisfies(c -> assertThat(c.toString()).contains("cli", "--creds").doesNotContain("clipw"));

        Path only = tmp.resolve("only.json");
        write(only, Map.of("registry.example.com", "file:filepw"));
        RegistryOptions env = RegistryOptions.defaults().authEnvironment(Map.of("REGISTRY_AUTH_FILE", only.toString(),
                "XDG_RUNTIME_DIR", runtime.toString()), home);
        assertThat(AuthFiles.lookup(env, "registry.example.com", "team/app").username()).isEqualTo("file");
        assertThat(AuthFiles.lookup(env, "docker.io", "library/busybox")).as("REGISTRY_AUTH_FILE replaces the others").isNull();
        assertThat(AuthFiles.lookup(options.authFile(only), "registry.example.com", "team/app").password()).isEqualTo("filepw");

        Files.writeString(only, "{not json");
        assertThatThrownBy(() -> AuthFiles.lookup(env, "registry.example.com", "x"))
                .isInstanceOf(RegistryException.class).hasMessageContaining(only.toString());
    }

    @Test
    void remoteUrlsInFlatpakAndPlainSpellings() {
        assertThat(OciRemotes.parse("r", "oci+https://Registry.Example.com/team/"))
                .isEqualTo(new OciRemotes.Remote("r", "https", "registry.example.com", "team"));
        assertThat(OciRemotes.parse("r", "http://127.0.0.1:5000").url()).isEqualTo("oci+http://127.0.0.1:5000");
        assertThat(OciRemotes.parse("r", "docker://quay.io/fedora").url()).isEqualTo("oci+https://quay.io/fedora");
        assertThat(OciRemotes.parse("r", "https://ghcr.io/v2/").namespace()).isEmpty();
        for (String bad : List.of("ftp://x", "https://user:pw@host", "https://host?x=1", "oci+https:///nohost", "https://h/UPPER")) {
            assertThatThrownBy(() -> OciRemotes.parse("r", bad)).as(bad).isInstanceOf(InvalidSourceException.class);
        }
        assertThatThrownBy(() -> OciRemotes.parse("-bad", "https://h")).isInstanceOf(InvalidSourceException.class);
    }

    private static void write(Path file, Map<String, String> auths) throws Exception {
        Files.createDirectories(file.getParent());
        StringBuilder json = new StringBuilder("{\"auths\":{");
        String sep = "";
        for (Map.Entry<String, String> e : auths.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\":{\"auth\":\"")
                    .append(Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8))).append("\"}");
            sep = ",";
        }
        Files.writeString(file, json.append("}}"));
    }
}
