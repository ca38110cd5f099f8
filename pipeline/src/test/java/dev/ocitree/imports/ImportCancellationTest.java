package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An import cancelled or failing in the middle of a layer (while object writes are in flight on the
 * write workers) leaves no ref, no temp file once the repository is closed, no leaked buffer (the
 * leak check extension) and a repository that {@code ostree fsck} accepts.
 */
class ImportCancellationTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "cancel-test-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    /** Many small files (written from memory) and a few larger than the inline limit (streamed). */
    private static LayerBuilder busyLayer(int seed) {
        Random random = new Random(seed);
        LayerBuilder layer = new LayerBuilder().dir("data");
        for (int i = 0; i < 1500; i++) {
            byte[] content = new byte[random.nextInt(4096)];
            random.nextBytes(content);
            layer.file("data/f" + i, content, 0644, 0, 0);
        }
        for (int i = 0; i < 3; i++) {
            byte[] content = new byte[(1 << 20) + 1 + random.nextInt(1 << 20)];
            random.nextBytes(content);
            layer.file("data/big" + i, content, 0644, 0, 0);
        }
        return layer;
    }

    @Test
    void cancelledInTheMiddleOfALayerLeavesNoRefNoTempFileAndACleanRepository() throws Exception {
        Path layout = new ImageBuilder().layer(busyLayer(1), LayerCompression.GZIP)
                .layer(busyLayer(2), LayerCompression.GZIP).writeLayout(tmp.resolve("img"), "latest");
        Path repoPath = tmp.resolve("repo");
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.ARCHIVE);
                OciSource source = OciSource.open("oci:" + layout + ":latest", IO)) {
            List<ImportEvent> seen = new ImageImporter(repo).importImage(source, ImportOptions.defaults())
                    .takeUntil(e -> e instanceof ImportEvent.LayerProgress p && p.bytesRead() > 0)
                    .collectList().block();
            assertThat(seen).last().isInstanceOf(ImportEvent.LayerProgress.class);
            assertThat(seen).noneMatch(e -> e instanceof ImportEvent.Done);
        }
        assertNothingLeft(repoPath);
    }

    @Test
    void aCorruptStreamInTheMiddleOfALayerIsATypedErrorAndLeavesNothingBehind() throws Exception {
        ImageBuilder good = new ImageBuilder().layer(busyLayer(3), LayerCompression.GZIP);
        byte[] tar = good.layers().get(0).tar();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] blob = gz.toByteArray();
        // damage the deflate stream two thirds in: many entries are written before the decoder fails
        byte[] damaged = Arrays.copyOf(blob, blob.length);
        for (int i = blob.length * 2 / 3; i < blob.length * 2 / 3 + 64; i++) {
            damaged[i] ^= (byte) 0x5a;
        }
        Path layout = new ImageBuilder().rawLayer(tar, damaged, LayerCompression.GZIP.mediaType())
                .writeLayout(tmp.resolve("img"), "latest");
        Path repoPath = tmp.resolve("repo");
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.BARE_USER_ONLY);
                OciSource source = OciSource.open("oci:" + layout + ":latest", IO)) {
            assertThatThrownBy(() -> new ImageImporter(repo).importImage(source, ImportOptions.defaults()).blockLast())
                    .isInstanceOf(dev.ocitree.operators.OcitreeException.class)
                    .hasMessageContaining("layer sha256:");
        }
        assertNothingLeft(repoPath);
    }

    private void assertNothingLeft(Path repoPath) throws IOException {
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repoPath)).doesNotContain(ContainerRefs.IMAGE_PREFIX);
        try (Stream<Path> s = Files.walk(repoPath.resolve("tmp"))) {
            assertThat(s.filter(p -> !Files.isDirectory(p))).isEmpty();
        }
        try (Stream<Path> s = Files.list(repoPath.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("ocitree-staging-"));
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repoPath).exitCode()).isZero();
    }
}
