package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged commit depends only on the image; the name a user typed is canonicalised into the
 * image ref. The copies of one image are made by skopeo, not by us.
 */
class ImageNamingTest {

    @TempDir
    Path tmp;

    private static ImageBuilder image(String message) {
        return new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/motd", message), LayerCompression.NONE)
                .layer(new LayerBuilder().dir("usr").dir("usr/bin").file("usr/bin/app", "#!/bin/sh\n", 0755, 0, 0)
                        .whiteout("etc/motd"), LayerCompression.NONE);
    }

    private static String relative(Path p) {
        return Path.of("").toAbsolutePath().relativize(p).toString();
    }

    @Test
    void oneImageSpelledFiveWaysGivesOneMergedCommit() throws Exception {
        Path layout = image("hello\n").writeLayout(tmp.resolve("img"), "latest");
        Path ociArchive = tmp.resolve("img-oci.tar");
        Path dockerArchive = tmp.resolve("img-docker.tar");
        PeerTools.runOk(tmp, "skopeo", "copy", "-q", "--dest-oci-accept-uncompressed-layers", "oci:" + layout + ":latest",
                "oci-archive:" + ociArchive + ":latest");
        PeerTools.runOk(tmp, "skopeo", "copy", "-q", "oci:" + layout + ":latest",
                "docker-archive:" + dockerArchive + ":example.com/hello:latest");
        Path copy = tmp.resolve("copy");
        PeerTools.runOk(tmp, "skopeo", "copy", "-q", "--dest-oci-accept-uncompressed-layers", "oci:" + layout + ":latest",
                "oci:" + copy + ":v2");

        List<String> sources = List.of("oci:" + layout + ":latest", "oci:" + relative(layout) + ":latest",
                "oci-archive:" + ociArchive + ":latest", "oci-archive:" + relative(ociArchive),
                "docker-archive:" + dockerArchive + ":example.com/hello:latest", "docker-archive:" + relative(dockerArchive),
                "oci:" + copy + ":v2");
        Map<String, String> commits = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            String repo = "--repo=" + tmp.resolve("repo" + i);
            Cli.ok(repo, "init", "--mode=bare-user-only");
            JsonNode done = Cli.run(repo, "import", sources.get(i), "--json").lastJson();
            commits.put(sources.get(i), done.get("commit").asText());
        }
        assertThat(commits.values()).as("%s", commits).containsOnly(commits.values().iterator().next());

        // into one repository: relative and absolute spellings are one image, the others are named by their transport
        String repo = "--repo=" + tmp.resolve("all");
        Cli.ok(repo, "init", "--mode=archive");
        for (String source : sources) {
            Cli.ok(repo, "import", source);
        }
        List<String> names = new ArrayList<>();
        new ObjectMapper().readerFor(JsonNode.class).<JsonNode>readValues(Cli.ok(repo, "images", "--json"))
                .forEachRemaining(n -> names.add(n.get("name").asText()));
        String digest = new ObjectMapper().readTree(Cli.ok(repo, "images", "--json").lines().findFirst().orElseThrow())
                .get("manifestDigest").asText();
        assertThat(names).containsExactlyInAnyOrder("oci:" + layout.toRealPath() + ":latest",
                "oci:" + copy.toRealPath() + ":v2",
                "oci-archive:" + ociArchive.toRealPath() + ":latest",
                "oci-archive:" + ociArchive.toRealPath() + "@" + digest,
                "docker-archive:" + dockerArchive.toRealPath() + ":example.com/hello:latest",
                "docker-archive:" + dockerArchive.toRealPath() + "@" + digest);
        String refs = PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("all"));
        assertThat(refs.lines().filter(r -> r.startsWith(ContainerRefs.IMAGE_PREFIX))).hasSize(6);
        String subject = PeerTools.runOk(tmp, "ostree", "log", "--repo=" + tmp.resolve("all"),
                ContainerRefs.imageRef(names.get(0)));
        assertThat(subject).contains("image " + digest).doesNotContain(tmp.toString());
    }

    @Test
    void aDifferentImageUnderATakenNameIsRefusedUnlessReplace() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Path layout = tmp.resolve("img");
        image("first\n").writeLayout(layout, "latest");
        Cli.ok(repo, "import", "oci:" + layout + ":latest");
        String ref = ContainerRefs.imageRef("oci:" + layout.toRealPath() + ":latest");
        String first = PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + tmp.resolve("repo"), ref);
        String refsBefore = PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("repo"));

        ImageBuilder.deleteTree(layout);
        image("second\n").writeLayout(layout, "latest");
        Cli.Run refused = Cli.run(repo, "import", "oci:" + relative(layout) + ":latest");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(1).first().asString()
                .contains("oci:" + layout.toRealPath() + ":latest", "--replace");
        assertThat(refused.err()).doesNotContain("layer 1/2");
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("repo"))).isEqualTo(refsBefore);
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + tmp.resolve("repo"), ref)).isEqualTo(first);

        Cli.ok(repo, "import", "oci:" + relative(layout) + ":latest", "--replace");
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + tmp.resolve("repo"), ref)).isNotEqualTo(first);
        assertThat(PeerTools.runOk(tmp, "ostree", "cat", "--repo=" + tmp.resolve("repo"), ref, "/usr/bin/app"))
                .isEqualTo("#!/bin/sh\n");
        // the same image again under its name is no conflict
        Cli.ok(repo, "import", "oci:" + layout + ":latest");
    }

    @Test
    void untaggedNamesCarryTheDigestAndAnySpellingRemovesThem() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        ImageBuilder img = image("untagged\n");
        Path layout = img.writeLayout(tmp.resolve("img"), "latest");
        JsonNode done = Cli.run(repo, "import", "oci:" + relative(layout), "--json").lastJson();
        assertThat(done.get("image").asText()).isEqualTo("oci:" + layout.toRealPath() + "@" + img.manifestDigest());
        assertThat(Cli.ok(repo, "images", "rm", "oci:" + relative(layout)))
                .isEqualTo("removed oci:" + layout.toRealPath() + "@" + img.manifestDigest() + "\n");
        assertThat(Cli.ok(repo, "images", "--json")).isEmpty();
    }

    @Test
    void dockerArchiveReferencesAreExpandedAsSkopeoExpandsThem() throws Exception {
        Path layout = image("hub\n").writeLayout(tmp.resolve("img"), "latest");
        Path archive = tmp.resolve("busybox.tar");
        PeerTools.runOk(tmp, "skopeo", "copy", "-q", "oci:" + layout + ":latest", "docker-archive:" + archive + ":busybox");
        String skopeoTag = repoTag(archive);
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        JsonNode done = Cli.run(repo, "import", "docker-archive:" + archive + ":busybox:latest", "--json").lastJson();
        assertThat(skopeoTag).isEqualTo("docker.io/library/busybox:latest");
        assertThat(done.get("image").asText()).isEqualTo("docker-archive:" + archive.toRealPath() + ":" + skopeoTag);
    }

    private String repoTag(Path dockerArchive) throws Exception {
        String manifest = PeerTools.runOk(tmp, "tar", "-xOf", dockerArchive.toString(), "manifest.json");
        return new ObjectMapper().readTree(manifest).get(0).get("RepoTags").get(0).asText();
    }
}
