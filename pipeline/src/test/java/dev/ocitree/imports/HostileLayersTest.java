package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.operators.OcitreeException;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Layers that try to write outside the root give umoci's (contained) tree or a typed error, never an escape. */
class HostileLayersTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "hostile-test-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    private ImportResult importImage(Path repoPath, Path layout) {
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.BARE_USER);
                OciSource source = OciSource.open("oci:" + layout + ":latest", IO)) {
            return new ImageImporter(repo).importImage(source, ImportOptions.defaults())
                    .ofType(ImportEvent.Done.class).blockLast().result();
        }
    }

    @Test
    void escapingSymlinksDotDotAndAbsoluteNamesStayInsideTheRootAsWithUmoci() {
        Path canary = tmp.resolve("canary-" + UUID.randomUUID());
        Path layout = TestImages.hostile(canary.toString()).writeLayout(tmp.resolve("hostile"), "latest");
        ImportResult result = importImage(tmp.resolve("ours"), layout);

        Path bundle = tmp.resolve("bundle");
        PeerTools.runOk(tmp, "umoci", "unpack", "--image", layout + ":latest", bundle.toString());
        Path theirs = tmp.resolve("theirs");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + theirs, "--mode=bare-user");
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + theirs, "--tree=dir=" + bundle.resolve("rootfs"), "-b", "u",
                "--no-bindings");
        String ours = ImportVersusUmociTest.ls(tmp.resolve("ours"), result.imageRef());
        assertThat(ours).isEqualTo(ImportVersusUmociTest.ls(theirs, "u"));
        assertThat(ours).contains(canary + "/pwned", canary + "/pwned-abs", "/etc/up-pwned", "/dotdot-escape",
                "/absolute-file");

        Path checkout = tmp.resolve("checkout");
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + tmp.resolve("ours"), result.imageRef(), checkout.toString());
        assertThat(canary).doesNotExist();
        assertThat(checkout.resolve(canary.toString().substring(1)).resolve("pwned")).exists();
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + tmp.resolve("ours")).exitCode()).isZero();
    }

    @Test
    void whiteoutNamingDotDotIsATypedErrorAndLeavesNoImageRef() {
        Path layout = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/x", "x\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().dir("etc").file("etc/.wh...", ""), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("wh"), "latest");
        assertThatThrownBy(() -> importImage(tmp.resolve("repo"), layout))
                .isInstanceOf(LayerFormatException.class).hasMessageContaining("'..'").hasMessageContaining("etc/.wh...");
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("repo")))
                .doesNotContain(ContainerRefs.IMAGE_PREFIX);
    }

    @Test
    void hardlinkOutOfTheRootIsClampedAndMissingTargetsAreTypedErrors() throws Exception {
        Path layout = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/hostname", "inside\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().hardlink("link", "../../../../etc/hostname"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("hl"), "latest");
        ImportResult result = importImage(tmp.resolve("repo"), layout);
        Path checkout = tmp.resolve("co");
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + tmp.resolve("repo"), result.imageRef(), checkout.toString());
        assertThat(Files.readString(checkout.resolve("link"))).isEqualTo("inside\n");

        Path missing = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc"), LayerCompression.GZIP)
                .layer(new LayerBuilder().hardlink("link", "/etc/shadow"), LayerCompression.GZIP)
                .writeLayout(tmp.resolve("missing"), "latest");
        assertThatThrownBy(() -> importImage(tmp.resolve("repo2"), missing)).isInstanceOf(LayerFormatException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void corruptBlobIsATypedErrorNamingTheLayer() throws Exception {
        ImageBuilder image = new ImageBuilder().layer(new LayerBuilder().file("a", "a\n".repeat(1000)), LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("corrupt"), "latest");
        Path blob = layout.resolve("blobs/sha256/" + image.layers().get(0).digest().substring(7));
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(blob, bytes);
        assertThatThrownBy(() -> importImage(tmp.resolve("repo"), layout)).isInstanceOf(OcitreeException.class)
                .hasMessageContaining(image.layers().get(0).digest().substring(7, 19));
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + tmp.resolve("repo"))).isBlank();
    }
}
