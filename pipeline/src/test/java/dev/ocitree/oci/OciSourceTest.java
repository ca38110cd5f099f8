package dev.ocitree.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class OciSourceTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 100, "oci-test-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    private static ImageBuilder twoLayers() {
        return new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/a.txt", "alpha").file("etc/gone.txt", "x"),
                        LayerCompression.GZIP)
                .layer(new LayerBuilder().dir("etc").whiteout("etc/gone.txt").file("etc/b.txt", "beta"),
                        LayerCompression.NONE);
    }

    private static byte[] collect(OciSource source, Descriptor d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.blob(d).doOnNext(b -> {
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            out.writeBytes(chunk);
        }).doOnNext(ByteBuf::release).blockLast();
        return out.toByteArray();
    }

    private static void assertSameImage(ResolvedImage image, ImageBuilder built, OciSource source) {
        assertThat(image.layers()).hasSize(2);
        assertThat(image.config().diffIds()).containsExactly(built.layers().get(0).diffId(), built.layers().get(1).diffId());
        for (int i = 0; i < 2; i++) {
            byte[] blob = collect(source, image.layers().get(i));
            assertThat(ImageBuilder.sha256(blob)).isEqualTo(image.layers().get(i).digest());
        }
        assertThat(ImageBuilder.sha256(image.manifestBytes())).isEqualTo(image.manifestDigest());
        assertThat(ImageBuilder.sha256(image.configBytes())).isEqualTo(image.manifest().config().digest());
    }

    @Test
    void ociLayoutResolvesTagAndStreamsExactBlobBytes() {
        ImageBuilder built = twoLayers();
        Path dir = built.writeLayout(tmp.resolve("img"), "v1");
        try (OciSource source = OciSource.open("oci:" + dir + ":v1", IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            assertThat(image.manifestDigest()).isEqualTo(built.manifestDigest());
            assertThat(image.manifestBytes()).isEqualTo(built.manifest());
            assertSameImage(image, built, source);
            assertThat(collect(source, image.layers().get(0))).isEqualTo(built.layers().get(0).blob());
        }
    }

    @Test
    void layoutWithoutTagNeedsExactlyOneImage() {
        ImageBuilder a = twoLayers();
        ImageBuilder b = new ImageBuilder().layer(new LayerBuilder().file("x", "y"), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("z", "w"), LayerCompression.GZIP);
        Path dir = ImageBuilder.writeLayout(tmp.resolve("two"), Map.of("a", a, "b", b));
        try (OciSource source = OciSource.open("oci:" + dir, IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("name a tag");
        }
        try (OciSource source = OciSource.open("oci:" + dir + ":nope", IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("'nope'").hasMessageContaining("[a, b]");
        }
        try (OciSource source = OciSource.open("oci:" + dir + ":b", IO)) {
            assertThat(source.resolve(Platform.current()).block().manifestDigest()).isEqualTo(b.manifestDigest());
        }
    }

    @Test
    void indexIsResolvedByPlatform() {
        ImageBuilder amd = twoLayers().platform("linux", "amd64", null);
        ImageBuilder arm = new ImageBuilder().platform("linux", "arm64", "v8")
                .layer(new LayerBuilder().file("arm", "64"), LayerCompression.ZSTD)
                .layer(new LayerBuilder().file("arm2", "64"), LayerCompression.LZ4);
        ImageBuilder armv7 = new ImageBuilder().platform("linux", "arm", "v7")
                .layer(new LayerBuilder().file("arm", "32"), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("arm2", "32"), LayerCompression.GZIP);
        Path dir = ImageBuilder.writeIndex(tmp.resolve("multi"), "latest", List.of(amd, arm, armv7));
        try (OciSource source = OciSource.open("oci:" + dir + ":latest", IO)) {
            assertThat(source.resolve(Platform.parse("linux/arm64")).block().manifestDigest())
                    .isEqualTo(arm.manifestDigest());
            assertThat(source.resolve(Platform.parse("linux/arm64/v8")).block().manifestDigest())
                    .isEqualTo(arm.manifestDigest());
            assertThat(source.resolve(Platform.parse("linux/arm/v7")).block().manifestDigest())
                    .isEqualTo(armv7.manifestDigest());
            assertThat(source.resolve(Platform.parse("linux/amd64")).block().manifestDigest())
                    .isEqualTo(amd.manifestDigest());
            assertThatThrownBy(() -> source.resolve(Platform.parse("linux/s390x")).block())
                    .isInstanceOf(ImageNotFoundException.class)
                    .hasMessageContaining("linux/s390x").hasMessageContaining("linux/arm64/v8");
        }
    }

    @Test
    void currentPlatformMapsJavaArchitectureNames() {
        assertThat(Platform.ociArchitecture("x86_64")).isEqualTo("amd64");
        assertThat(Platform.ociArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(Platform.current().os()).isEqualTo("linux");
        assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(InvalidSourceException.class);
    }

    @Test
    void ociArchiveWrittenBySkopeoIsReadInPlace() {
        ImageBuilder built = twoLayers();
        Path dir = built.writeLayout(tmp.resolve("img"), "v1");
        Path archive = tmp.resolve("img.tar");
        PeerTools.runOk(tmp, "skopeo", "copy", "--preserve-digests", "oci:" + dir + ":v1", "oci-archive:" + archive + ":v1");
        try (OciSource source = OciSource.open("oci-archive:" + archive + ":v1", IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            assertThat(image.manifestDigest()).isEqualTo(built.manifestDigest());
            assertSameImage(image, built, source);
        }
    }

    @Test
    void ociArchiveWrittenByBuilderIsRead() {
        ImageBuilder built = twoLayers();
        Path archive = built.writeOciArchive(tmp.resolve("own.tar"), "v2");
        try (OciSource source = OciSource.open("oci-archive:" + archive + ":v2", IO)) {
            assertSameImage(source.resolve(Platform.current()).block(), built, source);
        }
    }

    @Test
    void dockerArchiveWrittenBySkopeoIsRead() {
        ImageBuilder built = twoLayers();
        Path dir = built.writeLayout(tmp.resolve("img"), "v1");
        Path archive = tmp.resolve("docker.tar");
        PeerTools.runOk(tmp, "skopeo", "copy", "oci:" + dir + ":v1", "docker-archive:" + archive + ":example.com/team/img:v1");
        try (OciSource source = OciSource.open("docker-archive:" + archive + ":example.com/team/img:v1", IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            assertThat(image.manifest().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertSameImage(image, built, source);
            // the synthesised manifest is deterministic
            try (OciSource again = OciSource.open("docker-archive:" + archive, IO)) {
                assertThat(again.resolve(Platform.current()).block().manifestDigest()).isEqualTo(image.manifestDigest());
            }
        }
        try (OciSource source = OciSource.open("docker-archive:" + archive + ":other:tag", IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("example.com/team/img:v1");
        }
    }

    @Test
    void dockerArchiveWithCompressedLayersIsHashedByContent() {
        ImageBuilder built = twoLayers();
        Path archive = built.writeDockerArchive(tmp.resolve("d.tar"), "library/busybox:latest");
        try (OciSource source = OciSource.open("docker-archive:" + archive + ":docker.io/library/busybox:latest", IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            assertThat(image.layers().get(0).mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
            assertThat(image.layers().get(0).digest()).isEqualTo(built.layers().get(0).digest());
            assertThat(image.layers().get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR);
            assertSameImage(image, built, source);
        }
    }

    @Test
    void malformedIndexIsATypedErrorNamingTheFile() throws Exception {
        Path dir = twoLayers().writeLayout(tmp.resolve("bad"), "v1");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[}");
        assertResolveFails(dir, "index.json", "malformed JSON");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}");
        assertResolveFails(dir, "index.json", "Duplicate field");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]} {}");
        assertResolveFails(dir, "index.json", "malformed JSON");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":\"2\",\"manifests\":[]}");
        assertResolveFails(dir, "index.json", "schemaVersion");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"size\":1,\"digest\":\"sha256:../../../etc/passwd\"}]}");
        assertResolveFails(dir, "index.json", "only sha256");
        Files.delete(dir.resolve("oci-layout"));
        assertResolveFails(dir, "oci-layout", "missing");
    }

    @Test
    void manifestThatDoesNotMatchItsDigestIsRefused() throws Exception {
        ImageBuilder built = twoLayers();
        Path dir = built.writeLayout(tmp.resolve("tampered"), "v1");
        Path manifest = dir.resolve("blobs/sha256/" + built.manifestDigest().substring(7));
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[bytes.length - 2] ^= 1;
        Files.write(manifest, bytes);
        assertResolveFails(dir, built.manifestDigest().substring(7), "has digest");
    }

    @Test
    void artifactsAndSchema1AreRefused() throws Exception {
        Path dir = tmp.resolve("artifact");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/example\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"" + ImageBuilder.sha256(config) + "\",\"size\":2},\"layers\":[]}";
        writeRawLayout(dir, manifest, config);
        assertResolveFails(dir, "", "not a container image");
        String schema1 = "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}";
        writeRawLayout(dir, schema1, config);
        assertResolveFails(dir, "", "schema 1");
    }

    @Test
    void unknownTransportAndMissingPathsAreTyped() {
        assertThatThrownBy(() -> OciSource.open("containers-storage:quay.io/x", IO))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("unknown transport 'containers-storage'");
        assertThatThrownBy(() -> OciSource.open("justaname", IO)).isInstanceOf(InvalidSourceException.class);
        try (OciSource source = OciSource.open("oci:" + tmp.resolve("absent"), IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(InvalidSourceException.class).hasMessageContaining("not a directory");
        }
        try (OciSource source = OciSource.open("oci-archive:" + tmp.resolve("absent.tar"), IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(InvalidSourceException.class).hasMessageContaining("not a file");
        }
    }

    @Test
    void blobOfWrongSizeIsRefusedBeforeReading() throws Exception {
        ImageBuilder built = twoLayers();
        Path dir = built.writeLayout(tmp.resolve("trunc"), "v1");
        try (OciSource source = OciSource.open("oci:" + dir + ":v1", IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            Descriptor layer = image.layers().get(0);
            Files.write(dir.resolve("blobs/sha256/" + layer.hex()), new byte[] {1, 2, 3});
            assertThatThrownBy(() -> source.blob(layer).doOnNext(ByteBuf::release).blockLast())
                    .isInstanceOf(OciFormatException.class).hasMessageContaining("3 bytes");
        }
    }

    private void writeRawLayout(Path dir, String manifest, byte[] config) throws Exception {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256/" + ImageBuilder.sha256(m).substring(7)), m);
        Files.write(dir.resolve("blobs/sha256/" + ImageBuilder.sha256(config).substring(7)), config);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"size\":" + m.length + ",\"digest\":\""
                + ImageBuilder.sha256(m) + "\"}]}");
    }

    private void assertResolveFails(Path dir, String file, String message) {
        try (OciSource source = OciSource.open("oci:" + dir, IO)) {
            assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                    .isInstanceOf(OciFormatException.class)
                    .hasMessageContaining(file)
                    .hasMessageContaining(message);
        }
    }
}
