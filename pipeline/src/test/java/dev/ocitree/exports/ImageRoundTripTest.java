package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.CommitRequest;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.TreeEntry;
import dev.ocitree.tarsplit.TarSplitException;
import dev.ocitree.tarsplit.TarSplitRecorder;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image round trip (docs/export.md): an OCI image whose layers GNU tar wrote (gnu and posix
 * formats, whiteouts, an opaque directory, hardlinks, a symlink, paths over 100 bytes, a pax xattr,
 * an empty file, a 5 MB file, a layer with the usual 10 KiB record padding plus trailing garbage),
 * compressed by gzip and zstd, imported and exported with {@code exportImage}: the diff_ids and
 * the config digest read back by skopeo and by hashing {@code gzip -dc}/{@code zstd -dc} of the
 * blobs equal the original's.
 */
class ImageRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path layout;
    static ImageBuilder original;
    static Path repo;
    static ImportResult imported;

    @BeforeAll
    static void buildAndImport() throws IOException {
        Path l1 = Files.createDirectories(shared.resolve("l1"));
        write(l1.resolve("etc/hostname"), "host\n");
        write(l1.resolve("opaque/old1"), "old 1\n");
        write(l1.resolve("opaque/old2"), "old 2\n");
        write(l1.resolve("deleteme"), "to be deleted\n");
        write(l1.resolve("empty"), "");
        byte[] big = new byte[5 * 1024 * 1024 + 123];
        new Random(12).nextBytes(big);
        Files.createDirectories(l1.resolve("data"));
        Files.write(l1.resolve("data/big.bin"), big);
        write(l1.resolve("bin/tool"), "#!/bin/sh\necho tool\n");
        Files.createLink(l1.resolve("bin/tool-hardlink"), l1.resolve("bin/tool"));
        Files.createSymbolicLink(l1.resolve("bin/sh"), Path.of("tool"));
        write(l1.resolve("deep/" + "d".repeat(70) + "/" + "f".repeat(70) + ".txt"), "a long path, GNU long name\n");
        byte[] tar1 = tar(l1, "--format=gnu");

        Path l2 = Files.createDirectories(shared.resolve("l2"));
        write(l2.resolve(".wh.deleteme"), "");
        write(l2.resolve("opaque/.wh..wh..opq"), "");
        write(l2.resolve("opaque/new"), "new in the opaque directory\n");
        write(l2.resolve("etc/with-xattr"), "has a user xattr\n");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(l2.resolve("etc/with-xattr"),
                UserDefinedFileAttributeView.class);
        view.write("test.round-trip", ByteBuffer.wrap("value".getBytes(StandardCharsets.UTF_8)));
        write(l2.resolve("long/" + "p".repeat(80) + "/" + "q".repeat(80)), "a long path, pax path record\n");
        write(l2.resolve("links/one"), "linked twice\n");
        Files.createLink(l2.resolve("links/two"), l2.resolve("links/one"));
        byte[] tar2 = tar(l2, "--format=posix", "--xattrs");
        assertThat(new String(tar2, StandardCharsets.ISO_8859_1)).contains("SCHILY.xattr.user.test.round-trip=value");

        Path l3 = Files.createDirectories(shared.resolve("l3"));
        write(l3.resolve("etc/motd"), "third layer\n");
        byte[] padded = tar(l3, "--format=gnu");
        assertThat(padded.length % 10240).isZero();
        byte[] garbage = "trailing garbage after the end-of-archive blocks\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tar3 = new byte[padded.length + garbage.length + 1024];
        System.arraycopy(padded, 0, tar3, 0, padded.length);
        System.arraycopy(garbage, 0, tar3, padded.length, garbage.length);

        original = new ImageBuilder()
                .rawLayer(tar1, tool(tar1, "gzip", "-n", "-c"), "application/vnd.oci.image.layer.v1.tar+gzip")
                .rawLayer(tar2, tool(tar2, "zstd", "-q", "-c"), "application/vnd.oci.image.layer.v1.tar+zstd")
                .rawLayer(tar3, tool(tar3, "gzip", "-n", "-c"), "application/vnd.oci.image.layer.v1.tar+gzip");
        layout = original.writeLayout(shared.resolve("layout"), "v1");
        repo = shared.resolve("repo");
        imported = done(ExportTesting.importInto(repo, RepoMode.ARCHIVE, "oci:" + layout + ":v1", null));
    }

    @Test
    void exportGivesTheOriginalDiffIdsAndConfigDigestAndImportsToTheSameTree(@TempDir Path tmp) throws IOException {
        ExportResult r = ExportTesting.exportImage(repo, imported.imageName(), "oci:" + tmp.resolve("out") + ":v1",
                Compression.GZIP);
        String out = "oci:" + tmp.resolve("out") + ":v1";
        List<String> originalDiffIds = original.layers().stream().map(ImageBuilder.Layer::diffId).toList();

        assertThat(r.configDigest()).isEqualTo(ImageBuilder.sha256(original.config()));
        assertThat(r.layers()).extracting(ExportResult.Layer::diffId).containsExactlyElementsOf(originalDiffIds);
        JsonNode manifest = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--raw", out));
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(ImageBuilder.sha256(original.config()));
        String config = PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", out);
        assertThat(ImageBuilder.sha256(config.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ImageBuilder.sha256(original.config()));
        List<String> unpacked = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            Path blob = tmp.resolve("out/blobs/sha256/" + layer.path("digest").asText().substring(7));
            unpacked.add("sha256:" + PeerTools.runOk(tmp, "sh", "-c", "gzip -dc " + blob + " | sha256sum").substring(0, 64));
        }
        assertThat(unpacked).containsExactlyElementsOf(originalDiffIds);
        JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", out));
        assertThat(inspect.path("Layers")).hasSize(3);
        assertThat(inspect.path("Digest").asText()).isEqualTo(r.manifestDigest());

        // the export imports back to the same merged tree (the merged commit names the new manifest, so its
        // checksum differs; its root tree and metadata do not)
        ImportResult back = done(ExportTesting.importInto(tmp.resolve("back"), RepoMode.ARCHIVE, out, null));
        assertThat(rootOf(tmp.resolve("back"), back.commit())).isEqualTo(rootOf(repo, imported.commit()));
        PeerTools.runOk(tmp, "ostree", "fsck", "--repo=" + repo);
    }

    @Test
    void ostreePullLocalCarriesTheRecordsAndThePulledRepositoryExportsTheSameLayers(@TempDir Path tmp) {
        Path pulled = tmp.resolve("pulled");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + pulled, "--mode=archive");
        List<String> cmd = new ArrayList<>(List.of("ostree", "pull-local", "--repo=" + pulled, repo.toString(),
                imported.imageRef()));
        original.layers().forEach(l -> cmd.add(ContainerRefs.blobRef(l.digest())));
        PeerTools.runOk(tmp, cmd.toArray(String[]::new));
        PeerTools.runOk(tmp, "ostree", "fsck", "--repo=" + pulled);
        ExportResult r = ExportTesting.exportImage(pulled, imported.imageName(), "oci:" + tmp.resolve("out"),
                Compression.NONE);
        assertThat(r.layers()).extracting(ExportResult.Layer::digest)
                .containsExactlyElementsOf(original.layers().stream().map(ImageBuilder.Layer::diffId).toList());
        assertThat(r.configDigest()).isEqualTo(ImageBuilder.sha256(original.config()));
    }

    @Test
    void zstdUncompressedAndDockerArchiveExportsCarryTheSameDiffIds(@TempDir Path tmp) throws IOException {
        List<String> originalDiffIds = original.layers().stream().map(ImageBuilder.Layer::diffId).toList();
        ExportResult zstd = ExportTesting.exportImage(repo, imported.imageName(), "oci:" + tmp.resolve("z"), Compression.ZSTD);
        for (ExportResult.Layer layer : zstd.layers()) {
            Path blob = tmp.resolve("z/blobs/sha256/" + layer.digest().substring(7));
            assertThat("sha256:" + PeerTools.runOk(tmp, "sh", "-c", "zstd -dc " + blob + " | sha256sum").substring(0, 64))
                    .isEqualTo(layer.diffId());
        }
        assertThat(zstd.layers()).extracting(ExportResult.Layer::diffId).containsExactlyElementsOf(originalDiffIds);
        ExportResult none = ExportTesting.exportImage(repo, imported.imageName(), "oci:" + tmp.resolve("n"), Compression.NONE);
        assertThat(none.layers()).extracting(ExportResult.Layer::digest).containsExactlyElementsOf(originalDiffIds);

        ExportTesting.exportImage(repo, imported.imageName(), "docker-archive:" + tmp.resolve("d.tar") + ":rt:v1",
                Compression.GZIP);
        JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "docker-archive:" + tmp.resolve("d.tar")));
        assertThat(inspect.path("Layers")).extracting(JsonNode::asText).containsExactlyElementsOf(originalDiffIds);
        String config = PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", "docker-archive:" + tmp.resolve("d.tar"));
        assertThat(ImageBuilder.sha256(config.getBytes(StandardCharsets.UTF_8))).isEqualTo(ImageBuilder.sha256(original.config()));
    }

    @Test
    void anImageImportedFromADockerArchiveSkopeoWroteRoundTrips(@TempDir Path tmp) throws IOException {
        // the same layer tars, all gzip (skopeo cannot write zstd layers into a docker-archive)
        ImageBuilder gzip = new ImageBuilder();
        for (ImageBuilder.Layer layer : original.layers()) {
            gzip.rawLayer(layer.tar(), tool(layer.tar(), "gzip", "-n", "-c"), "application/vnd.oci.image.layer.v1.tar+gzip");
        }
        gzip.writeLayout(tmp.resolve("gzip"), "v1");
        Path archive = tmp.resolve("docker.tar");
        PeerTools.runOk(tmp, "skopeo", "copy", "oci:" + tmp.resolve("gzip") + ":v1", "docker-archive:" + archive + ":rt/docker:v1");
        String sourceConfig = PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", "docker-archive:" + archive);
        JsonNode sourceInspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "docker-archive:" + archive));
        ImportResult fromDocker = done(ExportTesting.importInto(tmp.resolve("repo"), RepoMode.BARE_USER_ONLY,
                "docker-archive:" + archive, null));
        ExportResult r = ExportTesting.exportImage(tmp.resolve("repo"), fromDocker.imageName(),
                "oci:" + tmp.resolve("out") + ":v1", Compression.GZIP);
        assertThat(r.configDigest()).isEqualTo(ImageBuilder.sha256(sourceConfig.getBytes(StandardCharsets.UTF_8)));
        String config = PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--raw", "oci:" + tmp.resolve("out") + ":v1");
        JsonNode diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
        assertThat(diffIds).extracting(JsonNode::asText)
                .containsExactlyElementsOf(original.layers().stream().map(ImageBuilder.Layer::diffId).toList());
        assertThat(sourceInspect.path("Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(r.layers().stream().map(ExportResult.Layer::diffId).toList());
    }

    @Test
    void aCorruptRecordOrAMissingContentObjectFailsNamingTheLayerAndWritesNoIndex(@TempDir Path tmp) throws IOException {
        PeerTools.runOk(tmp, "cp", "-a", repo.toString(), tmp.resolve("corrupt").toString());
        PeerTools.runOk(tmp, "cp", "-a", repo.toString(), tmp.resolve("missing").toString());
        String base = original.layers().get(0).digest();
        try (OstreeRepository r = OstreeRepository.open(tmp.resolve("corrupt"))) {
            Checksum layerCommit = r.resolveRef(ContainerRefs.blobRef(base)).block();
            Commit c = r.loadCommit(layerCommit).block();
            CommitRequest request = CommitRequest.of(c.rootTree(), c.rootMeta()).withSubject(c.subject()).orphan()
                    .withoutRefBinding().withTimestamp(c.timestampSeconds());
            for (Map.Entry<String, Variant> m : c.metadata().entrySet()) {
                Variant v = m.getValue();
                if (m.getKey().equals(TarSplitRecorder.METADATA_KEY)) {
                    byte[] record = v.asBytes().clone();
                    record[record.length / 2] ^= 0x5a;
                    v = Variant.bytes(record);
                }
                request = request.withMetadata(m.getKey(), v);
            }
            r.transaction(r.commit(request.withRef(ContainerRefs.blobRef(base)))).block();
        }
        assertThatThrownBy(() -> ExportTesting.exportImage(tmp.resolve("corrupt"), imported.imageName(),
                "oci:" + tmp.resolve("c"), Compression.GZIP))
                .isInstanceOf(TarSplitException.class).hasMessageContaining("layer " + base)
                .hasMessageContaining("corrupt tar record");
        assertThat(tmp.resolve("c/index.json")).doesNotExist();

        try (OstreeRepository r = OstreeRepository.open(tmp.resolve("missing"))) {
            Checksum layerCommit = r.resolveRef(ContainerRefs.blobRef(base)).block();
            TreeEntry big = r.list(layerCommit, "/data/big.bin", false).blockFirst();
            Path object = tmp.resolve("missing/objects/" + big.checksum().hex().substring(0, 2) + "/"
                    + big.checksum().hex().substring(2) + ".filez");
            assertThat(object).exists();
            Files.delete(object);
        }
        assertThatThrownBy(() -> ExportTesting.exportImage(tmp.resolve("missing"), imported.imageName(),
                "oci:" + tmp.resolve("m"), Compression.GZIP))
                .isInstanceOf(TarSplitException.class).hasMessageContaining("layer " + base)
                .hasMessageContaining("data/big.bin");
        assertThat(tmp.resolve("m/index.json")).doesNotExist();
    }

    @Test
    void aLayerWhoseEntryIsReplacedByALaterEntryOfTheSamePathImportsButRefusesToExport(@TempDir Path tmp)
            throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dup"));
        write(dir.resolve("twice"), "first body\n");
        PeerTools.runOk(dir, "tar", "--format=gnu", "-cf", tmp.resolve("dup.tar").toString(), "twice");
        write(dir.resolve("twice"), "second body, longer\n");
        PeerTools.runOk(dir, "tar", "--format=gnu", "-rf", tmp.resolve("dup.tar").toString(), "twice");
        byte[] tar = Files.readAllBytes(tmp.resolve("dup.tar"));
        ImageBuilder image = new ImageBuilder().rawLayer(tar, tool(tar, "gzip", "-n", "-c"),
                "application/vnd.oci.image.layer.v1.tar+gzip");
        image.writeLayout(tmp.resolve("layout"), "dup");
        ImportResult dup = done(ExportTesting.importInto(tmp.resolve("repo"), RepoMode.BARE_USER_ONLY,
                "oci:" + tmp.resolve("layout") + ":dup", null));
        assertThatThrownBy(() -> ExportTesting.exportImage(tmp.resolve("repo"), dup.imageName(),
                "oci:" + tmp.resolve("out"), Compression.GZIP))
                .isInstanceOf(TarSplitException.class)
                .hasMessageContaining("layer " + image.layers().get(0).digest())
                .hasMessageContaining("'twice'");
        assertThat(tmp.resolve("out/index.json")).doesNotExist();
    }

    @Test
    void aLayerWhoseFileTheImportsTarStageDroppedRefusesToExportNamingTheLayer(@TempDir Path tmp) {
        Path repoPath = tmp.resolve("repo");
        reactor.core.scheduler.Scheduler io = reactor.core.scheduler.Schedulers.newBoundedElastic(4, 1000, "rt-test-io");
        ImportResult dropped;
        try (OstreeRepository r = OstreeRepository.init(repoPath, RepoMode.BARE_USER_ONLY);
                dev.ocitree.oci.OciSource source = dev.ocitree.oci.OciSource.open("oci:" + layout + ":v1", io)) {
            List<ImportEvent> events = new dev.ocitree.imports.ImageImporter(r).importImage(source,
                    dev.ocitree.imports.ImportOptions.defaults().tarStage(dev.ocitree.operators.tar.TarStages.dropEntries(
                            e -> e.path().equals("data/big.bin")))).collectList().block();
            dropped = done(events);
        } finally {
            io.dispose();
        }
        assertThatThrownBy(() -> ExportTesting.exportImage(repoPath, dropped.imageName(), "oci:" + tmp.resolve("out"),
                Compression.GZIP))
                .isInstanceOf(TarSplitException.class)
                .hasMessageContaining("layer " + original.layers().get(0).digest())
                .hasMessageContaining("tar stage dropped entries");
        assertThat(tmp.resolve("out/index.json")).doesNotExist();
    }

    private static ImportResult done(List<ImportEvent> events) {
        return ((ImportEvent.Done) events.get(events.size() - 1)).result();
    }

    private static List<Checksum> rootOf(Path repoPath, Checksum commit) {
        try (OstreeRepository r = OstreeRepository.open(repoPath)) {
            Commit c = r.loadCommit(commit).block();
            return List.of(c.rootTree(), c.rootMeta());
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** GNU tar of {@code dir}'s content (entries {@code ./...}), numeric owners. */
    private static byte[] tar(Path dir, String... options) throws IOException {
        Path out = dir.resolveSibling(dir.getFileName() + ".tar");
        List<String> cmd = new ArrayList<>(List.of("tar", "-C", dir.toString(), "--numeric-owner"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cf", out.toString(), "."));
        PeerTools.runOk(dir, cmd.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    /** {@code data} piped through a compressor tool. */
    private static byte[] tool(byte[] data, String... command) throws IOException {
        Path in = Files.createTempFile(shared, "in", ".bin");
        Path out = Files.createTempFile(shared, "out", ".bin");
        Files.write(in, data);
        PeerTools.runOk(shared, "sh", "-c", String.join(" ", command) + " < " + in + " > " + out);
        return Files.readAllBytes(out);
    }
}
