package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canonical names against the tools that define them: skopeo for docker references, realpath for paths. */
class ImageNamesTest {

    @TempDir
    Path tmp;

    @Test
    void dockerReferencesExpandAsSkopeoWritesThemInRepoTags() throws Exception {
        Path layout = new ImageBuilder().layer(new LayerBuilder().file("f", "f\n"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("img"), "latest");
        for (String ref : List.of("busybox", "busybox:1.36", "library/busybox", "team/app:v2", "quay.io/a/b",
                "quay.io/a/b/c:1", "localhost/x", "localhost:5000/x:2", "registry.example.com:8443/deep/path/img",
                "docker.io/busybox", "docker.io/library/busybox:latest")) {
            Path archive = tmp.resolve("a.tar");
            Files.deleteIfExists(archive);
            PeerTools.runOk(tmp, "skopeo", "copy", "-q", "oci:" + layout + ":latest", "docker-archive:" + archive + ":" + ref);
            String manifest = PeerTools.runOk(tmp, "tar", "-xOf", archive.toString(), "manifest.json");
            String repoTag = new ObjectMapper().readTree(manifest).get(0).get("RepoTags").get(0).asText();
            assertThat(ImageNames.dockerReference(ref)).as(ref).isEqualTo(repoTag);
            assertThat(ImageNames.canonical("docker://" + ref, "sha256:" + "0".repeat(64))).as(ref)
                    .isEqualTo("docker://" + repoTag);
        }
    }

    @Test
    void layoutPathsAreResolvedAsRealpathResolvesThem() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real/layout"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("real"));
        String digest = "sha256:" + "ab".repeat(32);
        for (String path : List.of(real.toString(), link + "/layout", link + "/../real/./layout",
                Path.of("").toAbsolutePath().relativize(real).toString())) {
            String expected = PeerTools.runOk(tmp, "realpath", "-m", Path.of(path).toAbsolutePath().toString()).strip();
            assertThat(ImageNames.canonical("oci:" + path + ":v1", digest)).as(path).isEqualTo("oci:" + expected + ":v1");
            assertThat(ImageNames.canonical("oci-archive:" + path, digest)).as(path)
                    .isEqualTo("oci-archive:" + expected + "@" + digest);
            assertThat(ImageNames.canonical("docker-archive:" + path + ":@1", digest)).as(path)
                    .isEqualTo("docker-archive:" + expected + "@" + digest);
        }
        assertThat(ImageNames.canonical("oci:" + real, null)).isEqualTo("oci:" + real.toRealPath());
        assertThat(ImageNames.pinnedByDigest("oci:/x@" + digest, "oci:/x")).isTrue();
        assertThat(ImageNames.pinnedByDigest("oci:/x:tag", "oci:/x")).isFalse();
    }
}
