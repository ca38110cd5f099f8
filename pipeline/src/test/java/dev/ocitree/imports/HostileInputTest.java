package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.oci.OciFormatException;
import dev.ocitree.oci.OciSource;
import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.OcitreeException;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The hostile inputs of issue 13 not covered elsewhere, one test each: every one is refused with a
 * typed error naming the input and the cause, leaves no ref, no staging area, and a repository
 * {@code ostree fsck} passes.
 */
class HostileInputTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "hostile-input-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    private ImportResult importImage(Path layout, RepoMode mode, StreamLimits limits) {
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), mode);
                OciSource source = OciSource.open("oci:" + layout + ":latest", IO)) {
            return new ImageImporter(repo).importImage(source, ImportOptions.defaults().limits(limits))
                    .ofType(ImportEvent.Done.class).blockLast().result();
        }
    }

    /** No ref, no staging area left, ostree fsck clean. */
    private void assertUnchanged() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo)).isBlank();
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("ocitree-staging-"));
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repo).exitCode()).isZero();
    }

    /** Layers refused only by the merge may stay (they are valid layers); the image is not recorded. */
    private void assertNoImage() {
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("repo")))
                .doesNotContain(ContainerRefs.IMAGE_PREFIX);
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + tmp.resolve("repo")).exitCode()).isZero();
    }

    @Test
    void gzipBombOf480To1UnderTheRatioLimitStopsAtMaxLayerBytes() throws Exception {
        // zeros with a random byte every 1920: gzip gets about 480:1, under the 1000:1 ratio limit
        byte[] content = new byte[48 << 20];
        Random random = new Random(480);
        for (int i = 0; i < content.length; i += 1920) {
            content[i] = (byte) random.nextInt();
        }
        ImageBuilder image = new ImageBuilder().layer(new LayerBuilder().file("bomb", content, 0644, 0, 0),
                LayerCompression.GZIP);
        ImageBuilder.Layer layer = image.layers().get(0);
        double ratio = (double) layer.tar().length / layer.blob().length;
        assertThat(ratio).isBetween(300.0, 999.0);
        Path layout = image.writeLayout(tmp.resolve("bomb"), "latest");
        StreamLimits limits = StreamLimits.defaults().maxLayerBytes(16 << 20);
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER, limits))
                .isInstanceOf(LayerImportException.class).hasRootCauseInstanceOf(LimitExceededException.class)
                .hasMessageContaining(layer.digest()).hasMessageContaining("'bomb'")
                .hasMessageContaining("past maxLayerBytes " + (16 << 20));
        assertUnchanged();
        assertThat(StreamLimits.defaults().maxLayerBytes()).as("the default stops such a bomb at 16 GiB")
                .isEqualTo(16L << 30);
    }

    @Test
    void zstdBombStopsAtTheExpansionRatio() throws Exception {
        byte[] zeros = new byte[24 << 20];
        ImageBuilder image = new ImageBuilder().layer(new LayerBuilder().file("zeros", zeros, 0644, 0, 0),
                LayerCompression.ZSTD);
        ImageBuilder.Layer layer = image.layers().get(0);
        assertThat((double) layer.tar().length / layer.blob().length).isGreaterThan(1000);
        Path layout = image.writeLayout(tmp.resolve("zbomb"), "latest");
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY,
                StreamLimits.defaults().expansionGraceBytes(4 << 20)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining(layer.digest()).hasMessageContaining("zstd").hasMessageContaining("bomb");
        assertUnchanged();
    }

    @Test
    void entryCountBombStopsAtMaxLayerEntries() throws Exception {
        LayerBuilder many = new LayerBuilder().dir("d");
        for (int i = 0; i < 3000; i++) {
            many.file("d/" + i, "");
        }
        ImageBuilder image = new ImageBuilder().layer(many, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("entries"), "latest");
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY,
                StreamLimits.defaults().maxLayerEntries(2000)))
                .isInstanceOf(LayerImportException.class).hasRootCauseInstanceOf(LimitExceededException.class)
                .hasMessageContaining(image.layers().get(0).digest())
                .hasMessageContaining("more than maxLayerEntries 2000");
        assertUnchanged();
    }

    @Test
    void tenThousandXattrsInABareUserRepositoryAreASizeErrorNotAnUnsupportedFileSystem() throws Exception {
        LayerBuilder layer = new LayerBuilder().file("xattrs", "x\n");
        for (int i = 0; i < 10_000; i++) {
            layer.xattr("user.attribute-" + i, "v".repeat(40));
        }
        Path layout = new ImageBuilder().layer(layer, LayerCompression.GZIP).writeLayout(tmp.resolve("x"), "latest");
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER, StreamLimits.defaults()))
                .isInstanceOf(OcitreeException.class).hasMessageContaining("E2BIG")
                .hasMessageContaining("65536").hasMessageNotContaining("does not support");
        assertUnchanged();
    }

    @Test
    void aWhiteoutOfDotOrDotDotIsRefusedWhateverTheLowerLayersHold() throws Exception {
        for (String whiteout : new String[] {"sub/.wh..", "sub/.wh...", ".wh..", ".wh..."}) {
            for (boolean lower : new boolean[] {false, true}) {
                ImageBuilder image = new ImageBuilder();
                if (lower) {
                    image.layer(new LayerBuilder().dir("sub").file("sub/x", "x\n").file("y", "y\n"),
                            LayerCompression.GZIP);
                }
                image.layer(new LayerBuilder().dir("sub").file(whiteout, ""), LayerCompression.GZIP);
                Path layout = image.writeLayout(tmp.resolve("wh-" + whiteout.length() + lower), "latest");
                assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY, StreamLimits.defaults()))
                        .as("%s over %s", whiteout, lower ? "a lower layer" : "nothing")
                        .isInstanceOf(LayerFormatException.class).hasMessageContaining(whiteout);
                assertNoImage();
            }
        }
    }

    @Test
    void controlCharactersInNamesAreEscapedInErrors() throws Exception {
        String name = "evil\nerror: forged line\u001b[2J";
        Path layout = new ImageBuilder()
                .layer(new LayerBuilder().hardlink(name, "missing\rtarget"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("ctl"), "latest");
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY, StreamLimits.defaults()))
                .isInstanceOf(OcitreeException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r")
                        .doesNotContain("\u001b").contains("\\n"));
        assertNoImage();
    }

    @Test
    void indexesNestedDeeperThanEightLevelsAreRefused() throws Exception {
        Path layout = new ImageBuilder().layer(new LayerBuilder().file("a", "a\n"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("deep"), "latest");
        String index = Files.readString(layout.resolve("index.json"));
        for (int level = 0; level < 9; level++) {
            byte[] nested = index.replace("\"org.opencontainers.image.ref.name\":\"latest\"", "\"x\":\"y\"")
                    .getBytes(StandardCharsets.UTF_8);
            String digest = put(layout, nested);
            index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                    + "\"digest\":\"" + digest + "\",\"size\":" + nested.length
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}";
        }
        Files.writeString(layout.resolve("index.json"), index);
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY, StreamLimits.defaults()))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("deeper than 8 levels");
        assertUnchanged();
    }

    @Test
    void aHugeManifestIsRefusedBeforeItIsParsed() throws Exception {
        Path layout = new ImageBuilder().layer(new LayerBuilder().file("a", "a\n"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("huge"), "latest");
        byte[] huge = ("{\"schemaVersion\":2,\"annotations\":{\"a\":\"" + "x".repeat(64 << 20) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String digest = put(layout, huge);
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":" + huge.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
        assertThatThrownBy(() -> importImage(layout, RepoMode.BARE_USER_ONLY, StreamLimits.defaults()))
                .isInstanceOf(OciFormatException.class).hasMessageContaining(digest.substring(7))
                .hasMessageContaining("JSON document");
        assertUnchanged();
    }

    private static String put(Path layout, byte[] blob) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        Files.write(layout.resolve("blobs/sha256").resolve(hex), blob);
        return "sha256:" + hex;
    }
}
