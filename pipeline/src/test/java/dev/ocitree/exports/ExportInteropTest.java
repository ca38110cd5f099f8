package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.RootfsListing;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of a commit made by {@code ostree commit} over a rich tree, read by skopeo and unpacked
 * by umoci, compared with {@code ostree checkout} of the same commit; determinism of the digests.
 */
class ExportInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path repo;
    static String commit;

    @BeforeAll
    static void commitTree() throws IOException {
        Path tree = ExportFixtures.tree(shared.resolve("tree"), true);
        repo = shared.resolve("repo");
        commit = ExportFixtures.commitWithHistory(repo, "archive", tree, "app");
    }



    @Test
    void umociUnpackOfTheExportEqualsOstreeCheckoutOfTheCommit(@TempDir Path tmp) throws IOException {
        ExportResult r = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("layout") + ":v1", Compression.GZIP);
        assertThat(r.commit().hex()).isEqualTo(commit);
        PeerTools.runOk(tmp, "umoci", "unpack", "--image", tmp.resolve("layout") + ":v1", tmp.resolve("bundle").toString());
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + repo, "app", tmp.resolve("checkout").toString());
        Map<String, String> unpacked = RootfsListing.of(tmp.resolve("bundle/rootfs"));
        assertThat(unpacked).isEqualTo(RootfsListing.of(tmp.resolve("checkout")));
        assertThat(unpacked).containsKey("usr/bin/tool").hasSizeGreaterThan(12);
        assertThat(xattr(tmp.resolve("bundle/rootfs/etc/os-release"), "test.b"))
                .isEqualTo(xattr(tmp.resolve("checkout/etc/os-release"), "test.b")).isNotEmpty();
    }

    /** A user xattr as the file system holds it (name without {@code user.}), hex. */
    private static String xattr(Path file, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer buf = ByteBuffer.allocate(view.size(name));
        view.read(name, buf);
        return HexFormat.of().formatHex(buf.array());
    }

    @Test
    void skopeoInspectReadsTheLayoutAndTheArchive(@TempDir Path tmp) throws IOException {
        ExportResult dir = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("layout") + ":v1", Compression.GZIP);
        ExportResult archive = ExportTesting.export(repo, "app", "oci-archive:" + tmp.resolve("image.tar") + ":v1", Compression.GZIP);
        for (String ref : new String[] {"oci:" + tmp.resolve("layout") + ":v1", "oci-archive:" + tmp.resolve("image.tar") + ":v1"}) {
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", ref));
            assertThat(inspect.path("Digest").asText()).isEqualTo(dir.manifestDigest());
            assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(dir.layerDigest());
            assertThat(inspect.path("Created").asText()).isEqualTo("2024-05-06T07:08:09Z");
            assertThat(inspect.path("Labels").path(CommitLabels.FLATPAK_COMMIT).asText()).isEqualTo(commit);
            assertThat(inspect.path("Labels").path(CommitLabels.REF).asText()).isEqualTo("app");
        }
        JsonNode raw = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "oci:" + tmp.resolve("layout") + ":v1"));
        assertThat(raw.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(dir.diffId());
        assertThat(archive.manifestDigest()).isEqualTo(dir.manifestDigest());
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layout", "image.tar");
        }
    }

    @Test
    void dockerArchiveIsReadBySkopeoAndCopiesToAnImageUmociUnpacksAsTheCheckout(@TempDir Path tmp) throws IOException {
        ExportResult oci = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("layout"), Compression.GZIP);
        ExportResult docker = ExportTesting.export(repo, "app", "docker-archive:" + tmp.resolve("d.tar") + ":example.org/app:v1",
                Compression.GZIP);
        assertThat(docker.tag()).isEqualTo("example.org/app:v1");
        assertThat(docker.layerDigest()).isEqualTo(docker.diffId()).isEqualTo(oci.diffId());
        assertThat(docker.configDigest()).isEqualTo(oci.configDigest());
        JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "docker-archive:" + tmp.resolve("d.tar")));
        assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(oci.diffId());
        JsonNode saved = JSON.readTree(PeerTools.runOk(tmp, "tar", "-xOf", tmp.resolve("d.tar").toString(), "manifest.json"));
        assertThat(saved.get(0).path("RepoTags").toString()).isEqualTo("[\"example.org/app:v1\"]");
        assertThat(inspect.path("Labels").path(CommitLabels.FLATPAK_COMMIT).asText()).isEqualTo(commit);
        PeerTools.runOk(tmp, "skopeo", "copy", "docker-archive:" + tmp.resolve("d.tar"), "oci:" + tmp.resolve("copied") + ":c");
        PeerTools.runOk(tmp, "umoci", "unpack", "--image", tmp.resolve("copied") + ":c", tmp.resolve("bundle").toString());
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + repo, "app", tmp.resolve("checkout").toString());
        assertThat(RootfsListing.of(tmp.resolve("bundle/rootfs"))).isEqualTo(RootfsListing.of(tmp.resolve("checkout")));
        ExportResult untagged = ExportTesting.export(repo, "app", "docker-archive:" + tmp.resolve("u.tar"), Compression.ZSTD);
        assertThat(untagged.tag()).isNull();
        assertThat(untagged.layerDigest()).isEqualTo(oci.diffId());
    }

    @Test
    void theSameCommitExportsToTheSameDigestsAndEveryCompressionToTheSameDiffId(@TempDir Path tmp) throws IOException {
        ExportResult one = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("a"), Compression.GZIP);
        ExportResult two = ExportTesting.export(repo, commit, "oci:" + tmp.resolve("b"), Compression.GZIP);
        ExportResult zstd = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("c"), Compression.ZSTD);
        ExportResult none = ExportTesting.export(repo, "app", "oci:" + tmp.resolve("d"), Compression.NONE);
        assertThat(two.layerDigest()).isEqualTo(one.layerDigest());
        assertThat(two.diffId()).isEqualTo(one.diffId());
        assertThat(ExportTesting.export(repo, "app", "oci:" + tmp.resolve("a2"), Compression.GZIP).manifestDigest())
                .isEqualTo(one.manifestDigest());
        assertThat(zstd.diffId()).isEqualTo(one.diffId());
        assertThat(none.diffId()).isEqualTo(one.diffId()).isEqualTo(none.layerDigest());
        assertThat(zstd.layerDigest()).isNotEqualTo(one.layerDigest());
        // the layer is what the peers decompress to the diff_id
        String gz = "sha256:" + PeerTools.runOk(tmp, "sh", "-c", "gzip -dc " + blob(tmp.resolve("a"), one.layerDigest())
                + " | sha256sum").split(" ")[0];
        String zs = "sha256:" + PeerTools.runOk(tmp, "sh", "-c", "zstd -dc " + blob(tmp.resolve("c"), zstd.layerDigest())
                + " | sha256sum").split(" ")[0];
        assertThat(gz).isEqualTo(one.diffId());
        assertThat(zs).isEqualTo(one.diffId());
        JsonNode manifest = JSON.readTree(Files.readAllBytes(Path.of(blob(tmp.resolve("c"), zstd.manifestDigest()))));
        assertThat(manifest.path("layers").get(0).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
    }

    private static String blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256/" + digest.substring(7)).toString();
    }

    @Test
    void aSecondExportUnderAnotherTagKeepsTheFirstAndTheSameTagReplacesIt(@TempDir Path tmp) throws IOException {
        String dest = "oci:" + tmp.resolve("layout");
        ExportTesting.export(repo, "app", dest + ":one", Compression.GZIP);
        ExportTesting.export(repo, "app^", dest + ":two", Compression.GZIP);
        ExportTesting.export(repo, "app", dest + ":two", Compression.ZSTD);
        JsonNode index = JSON.readTree(Files.readAllBytes(tmp.resolve("layout/index.json")));
        assertThat(index.path("manifests")).hasSize(2);
        JsonNode two = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", dest + ":two"));
        assertThat(two.path("Labels").path(CommitLabels.FLATPAK_COMMIT).asText()).isEqualTo(commit);
    }

    @Test
    void badDestinationsAreTypedErrorsThatWriteNothing(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> ExportTesting.export(repo, "app", "containers-storage:x", Compression.GZIP))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("containers-storage:x");
        assertThatThrownBy(() -> ExportTesting.export(repo, "app", "docker://example.org/No/Such", Compression.GZIP))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("docker://example.org/No/Such");
        assertThatThrownBy(() -> ExportTesting.export(repo, "app", "oci:" + tmp, Compression.GZIP))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("neither empty nor an OCI layout");
        assertThatThrownBy(() -> ExportTesting.export(repo, "no-such-ref", "oci:" + tmp.resolve("x"), Compression.GZIP))
                .hasMessageContaining("no-such-ref");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(broken.resolve("index.json"), "{\"schemaVersion\":2}");
        assertThatThrownBy(() -> ExportTesting.export(repo, "app", "oci:" + broken, Compression.GZIP))
                .isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("oci:" + broken).hasMessageContaining("no manifests array");
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString()))
                    .containsExactlyInAnyOrder("notes.txt", "broken/oci-layout", "broken/index.json");
        }
    }
}
