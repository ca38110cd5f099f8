package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.Ocitree;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.operators.digest.DigestMismatchException;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * Pulls from the real {@code docker-registry} on loopback, images pushed by the real
 * {@code skopeo copy}, and compares with importing the same OCI layout and with {@code ostree fsck}.
 */
class RegistryPullTest {

    @TempDir
    Path tmp;

    private static Path repo(Path path) {
        OstreeRepository.init(path, RepoMode.ARCHIVE).close();
        return path;
    }

    /** The merged tree (root dirtree and dirmeta) of an imported image. */
    private static String tree(Path repoPath, ImportResult result) {
        try (OstreeRepository repo = OstreeRepository.open(repoPath)) {
            Commit c = repo.loadCommit(result.commit()).block();
            return c.rootTree().hex() + "/" + c.rootMeta().hex();
        }
    }

    @Test
    void pullEqualsImportOfTheSameLayoutAndTheSecondPullDownloadsNoLayer() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "test/rules");
            String source = "docker://" + registry.host() + "/test/rules:v1";

            Path pulled = repo(tmp.resolve("pulled"));
            ImportResult result;
            try (Ocitree ocitree = Ocitree.open(pulled)) {
                // subscribed from a parallel (non-blocking) thread: BlockHound fails any blocking call
                result = ocitree.importImage(source, ImportOptions.defaults().concurrency(3))
                        .subscribeOn(Schedulers.parallel()).block();
            }
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(result.bytesRead()).isEqualTo(image.layers().stream().mapToLong(l -> l.blob().length).sum());
            java.util.List<String> layers = image.layers().stream().map(ImageBuilder.Layer::digest).toList();
            long served = registry.blobBytesServed(layers);

            Path imported = repo(tmp.resolve("imported"));
            ImportResult fromLayout;
            try (Ocitree ocitree = Ocitree.open(imported)) {
                fromLayout = ocitree.importImage("oci:" + layout + ":v1", ImportOptions.defaults()).block();
            }
            assertThat(tree(pulled, result)).isEqualTo(tree(imported, fromLayout));
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + pulled))
                    .contains(ContainerRefs.imageRef(source));

            try (Ocitree ocitree = Ocitree.open(pulled)) {
                ImportResult again = ocitree.importImage(source, ImportOptions.defaults()).block();
                assertThat(again.bytesRead()).isZero();
                assertThat(again.commit()).isEqualTo(result.commit());
            }
            assertThat(registry.blobBytesServed(layers)).as("layer bytes served for the second pull").isEqualTo(served);
        }
    }

    @Test
    void corruptedBlobFailsWithDigestMismatchAndLeavesNoImageRef() throws Exception {
        byte[] content = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(content);
        ImageBuilder image = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/base", "base\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("big.bin", content, 0644, 0, 0), LayerCompression.NONE);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "test/corrupt");
            String layer = image.layers().get(1).digest();
            try (FileChannel ch = FileChannel.open(registry.blobFile(layer), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                long at = 512 + 1000; // inside big.bin's content: the tar stays well-formed
                ch.read(b, at);
                b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
                ch.write(b, at);
            }
            Path pulled = repo(tmp.resolve("pulled"));
            String source = "docker://" + registry.host() + "/test/corrupt:v1";
            try (Ocitree ocitree = Ocitree.open(pulled)) {
                assertThatThrownBy(() -> ocitree.importImage(source, ImportOptions.defaults()).block())
                        .isInstanceOf(DigestMismatchException.class)
                        .hasMessageContaining(layer);
            }
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + pulled))
                    .doesNotContain(ContainerRefs.imageRef(source))
                    .doesNotContain(ContainerRefs.blobRef(layer));
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
        }
    }
}
