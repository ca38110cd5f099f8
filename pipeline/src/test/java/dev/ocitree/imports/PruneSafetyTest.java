package dev.ocitree.imports;

import dev.ocitree.ostree.repo.InvalidRefException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Prune never removes a layer an image still needs: images recorded by other tools, an import in
 * progress, and branches that would overwrite an image record.
 */
class PruneSafetyTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "prune-safety-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    private static ImageBuilder image(String name) {
        return new ImageBuilder()
                .layer(new LayerBuilder().dir("usr").file("usr/" + name + "-base", (name + " base\n").repeat(300)),
                        LayerCompression.GZIP)
                .layer(new LayerBuilder().file(name + "-top", name + " top\n"), LayerCompression.ZSTD);
    }

    private static ImportResult importImage(OstreeRepository repo, OciSource source) {
        return new ImageImporter(repo).importImage(source, ImportOptions.defaults().concurrency(1))
                .ofType(ImportEvent.Done.class).blockLast().result();
    }

    @Test
    void anImageRefWrittenByAnotherToolKeepsItsLayers() throws Exception {
        ImageBuilder img = image("ext");
        Path layout = img.writeLayout(tmp.resolve("ext"), "latest");
        Path repoPath = tmp.resolve("repo");
        String name = "oci:" + layout + ":latest";
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.BARE_USER_ONLY);
                OciSource source = OciSource.open(name, IO)) {
            importImage(repo, source);
        }
        // ostree-ext's record of the same image: a ref under ostree/container/image/ whose name is
        // not ocitree's encoding, and a commit carrying only ostree-ext's keys, written by ostree
        String manifest = Files.readString(manifestOf(layout), StandardCharsets.UTF_8);
        String otherRef = "ostree/container/image/registry-by-hand/ext";
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + repoPath, "-b", otherRef,
                "--tree=ref=" + ContainerRefs.imageRef(name), "--add-metadata-string=ostree.manifest=" + manifest,
                "--add-metadata-string=ostree.manifest-digest=sha256:" + "0".repeat(64), "--no-bindings");

        ImageStore.PruneResult pruned;
        try (OstreeRepository repo = OstreeRepository.open(repoPath)) {
            ImageStore store = new ImageStore(repo);
            store.remove(name).block();
            pruned = store.prune().block();
        }
        assertThat(pruned.layerRefsRemoved()).isEmpty();
        assertThat(pruned.unreadableImages()).isEmpty();
        String refs = PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repoPath);
        for (ImageBuilder.Layer layer : img.layers()) {
            assertThat(refs).contains(ContainerRefs.blobRef(layer.digest()));
            PeerTools.runOk(tmp, "ostree", "ls", "--repo=" + repoPath, "-R", ContainerRefs.blobRef(layer.digest()));
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repoPath).exitCode()).isZero();
    }

    @Test
    void anImageRefWhoseLayersCannotBeReadKeepsEveryLayer() {
        ImageBuilder img = image("opaque");
        Path layout = img.writeLayout(tmp.resolve("o"), "latest");
        Path repoPath = tmp.resolve("repo");
        String name = "oci:" + layout + ":latest";
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.BARE_USER_ONLY);
                OciSource source = OciSource.open(name, IO)) {
            importImage(repo, source);
        }
        String opaque = "ostree/container/image/made-by-hand";
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + repoPath, "-b", opaque,
                "--tree=ref=" + ContainerRefs.imageRef(name), "--no-bindings");
        try (OstreeRepository repo = OstreeRepository.open(repoPath)) {
            ImageStore store = new ImageStore(repo);
            store.remove(name).block();
            ImageStore.PruneResult pruned = store.prune().block();
            assertThat(pruned.unreadableImages()).containsExactly(opaque);
            assertThat(pruned.layerRefsRemoved()).isEmpty();
        }
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repoPath, "ostree/container/blob").lines())
                .hasSize(2);
    }

    @Test
    void pruneDuringAnImportWaitsAndKeepsEveryLayerOfIt() throws Exception {
        ImageBuilder img = image("racing");
        Path layout = img.writeLayout(tmp.resolve("r"), "latest");
        Path repoPath = tmp.resolve("repo");
        OstreeRepository.init(repoPath, RepoMode.BARE_USER_ONLY).close();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        String lastLayer = img.layers().get(1).digest();
        try (OstreeRepository importing = OstreeRepository.open(repoPath);
                OstreeRepository pruning = OstreeRepository.open(repoPath);
                OciSource source = new GatedSource(OciSource.open("oci:" + layout + ":latest", IO), lastLayer, gate)) {
            CompletableFuture<ImportResult> running = CompletableFuture.supplyAsync(() -> importImage(importing, source));
            // the first layer's ref is written, the image ref is not: the moment the old prune took it
            String firstRef = ContainerRefs.blobRef(img.layers().get(0).digest());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(repoPath.resolve("refs/heads").resolve(firstRef))) {
                assertThat(System.nanoTime()).as("first layer ref written").isLessThan(deadline);
                Thread.sleep(20);
            }
            CompletableFuture<ImageStore.PruneResult> prune = new ImageStore(pruning).prune().toFuture();
            Thread.sleep(1000);
            assertThat(prune).as("prune waits for the import's shared lock").isNotDone();
            assertThat(repoPath.resolve("refs/heads").resolve(firstRef)).exists();
            gate.complete(null);
            ImportResult result = running.get(60, TimeUnit.SECONDS);
            ImageStore.PruneResult pruned = prune.get(60, TimeUnit.SECONDS);
            assertThat(pruned.layerRefsRemoved()).isEmpty();
            assertThat(new ImageStore(pruning).layers().map(ImageStore.LayerInfo::usedBy).collectList().block())
                    .containsExactly(1, 1);
            assertThat(result.layers()).hasSize(2);
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repoPath).exitCode()).isZero();
    }

    @Test
    void aBranchInTheToolsOwnNamespaceIsRefused() {
        for (String ref : List.of("ostree/container/image/oci_3A_x", "ostree/container/blob/sha256_3A_00",
                "ostree/container", "ostree/container/anything")) {
            assertThatThrownBy(() -> ImportOptions.defaults().branch(ref)).isInstanceOf(InvalidRefException.class)
                    .hasMessageContaining(ref).hasMessageContaining("ostree/container/");
        }
        assertThat(ImportOptions.defaults().branch("ostree/containers/mine").branch()).isEqualTo("ostree/containers/mine");
        assertThat(ImportOptions.defaults().branch("apps/container/image").branch()).isEqualTo("apps/container/image");
    }

    private static Path manifestOf(Path layout) throws Exception {
        String index = Files.readString(layout.resolve("index.json"), StandardCharsets.UTF_8);
        int at = index.indexOf("sha256:");
        return layout.resolve("blobs/sha256").resolve(index.substring(at + 7, at + 7 + 64));
    }

    /** Holds back one layer's blob until the gate opens. */
    private static final class GatedSource extends ForwardingSource {
        private final String gatedDigest;
        private final CompletableFuture<Void> gate;

        GatedSource(OciSource delegate, String gatedDigest, CompletableFuture<Void> gate) {
            super(delegate);
            this.gatedDigest = gatedDigest;
            this.gate = gate;
        }

        @Override
        public Flux<ByteBuf> blob(Descriptor descriptor) {
            Flux<ByteBuf> blob = delegate.blob(descriptor);
            return descriptor.digest().equals(gatedDigest)
                    ? blob.delaySubscription(Mono.fromFuture(gate).timeout(Duration.ofSeconds(60))) : blob;
        }
    }
}
