package dev.ocitree.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testsupport.PeerTools;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code docker save} writes a layer that repeats as a symlink member ({@code b/layer.tar ->
 * ../a/layer.tar}): read through the link, as skopeo reads it; links that leave the archive, are
 * absolute, loop or dangle are typed errors naming the link.
 */
class DockerArchiveSymlinkTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(2, 100, "docker-symlink-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    @Test
    void aRepeatedLayerStoredAsASymlinkMemberIsReadLikeSkopeoReadsIt() throws Exception {
        byte[] layer = new LayerBuilder().dir("etc").file("etc/hello", "hello\n").tar();
        Path archive = archive("ok.tar", layer, "../a/layer.tar");
        // skopeo accepts it and reads both layers
        String inspected = PeerTools.runOk(tmp, "skopeo", "inspect", "--raw", "docker-archive:" + archive);
        String diffId = "sha256:" + sha256(layer);
        assertThat(inspected.split(diffId, -1)).hasSize(3);
        try (OciSource source = OciSource.open("docker-archive:" + archive, IO)) {
            ResolvedImage image = source.resolve(Platform.current()).block();
            assertThat(image.layers()).hasSize(2).allSatisfy(d -> assertThat(d.digest()).isEqualTo(diffId));
            for (Descriptor d : image.layers()) {
                assertThat(read(source, d)).isEqualTo(layer);
            }
        }
    }

    @Test
    void symlinkMembersLeavingTheArchiveLoopingOrDanglingAreRefused() throws Exception {
        byte[] layer = new LayerBuilder().file("x", "x\n").tar();
        for (List<String> c : List.of(List.of("../../etc/passwd", "leaves the archive"),
                List.of("/etc/passwd", "absolute path"),
                List.of("../b/layer.tar", "more than 16 links"),
                List.of("../a/missing.tar", "no regular member"))) {
            Path archive = archive("bad-" + c.hashCode() + ".tar", layer, c.get(0));
            try (OciSource source = OciSource.open("docker-archive:" + archive, IO)) {
                assertThatThrownBy(() -> source.resolve(Platform.current()).block())
                        .isInstanceOf(OciFormatException.class)
                        .hasMessageContaining(archive + ":b/layer.tar").hasMessageContaining(c.get(1));
            }
        }
    }

    /** A docker-save style archive: a/layer.tar, b/layer.tar as a symlink, config, manifest.json. */
    private Path archive(String name, byte[] layer, String linkTarget) throws Exception {
        String diffId = "sha256:" + sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\",\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configName = sha256(config) + ".json";
        byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"example:latest\"],"
                + "\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8);
        Path archive = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            add(tar, "a/layer.tar", layer);
            TarArchiveEntry link = new TarArchiveEntry("b/layer.tar", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(linkTarget);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            add(tar, configName, config);
            add(tar, "manifest.json", manifest);
        }
        return archive;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte[] read(OciSource source, Descriptor d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.blob(d).doOnNext(b -> {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }).blockLast();
        return out.toByteArray();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
