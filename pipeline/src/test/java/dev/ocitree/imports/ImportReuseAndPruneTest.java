package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Layers already in the repository are not read again; prune removes what only removed images held. */
class ImportReuseAndPruneTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "reuse-test-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    private static LayerBuilder base() {
        return new LayerBuilder().dir("usr").dir("usr/lib").file("usr/lib/base.so", "base library\n".repeat(500));
    }

    private static LayerBuilder middle() {
        return new LayerBuilder().dir("etc").file("etc/shared.conf", "shared\n");
    }

    private ImportResult importCounting(OstreeRepository repo, Path layout, CountingSource[] counter) {
        try (CountingSource source = new CountingSource(OciSource.open("oci:" + layout + ":latest", IO))) {
            counter[0] = source;
            return new ImageImporter(repo).importImage(source, ImportOptions.defaults().concurrency(2))
                    .ofType(ImportEvent.Done.class).blockLast().result();
        }
    }

    private static long objectCount(Path repo) throws IOException {
        try (Stream<Path> walk = Files.walk(repo.resolve("objects"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void reimportReadsNoLayerAndASecondImageReadsOnlyItsNewLayers() {
        ImageBuilder first = new ImageBuilder().layer(base(), LayerCompression.GZIP).layer(middle(), LayerCompression.ZSTD)
                .layer(new LayerBuilder().file("first-only", "one\n"), LayerCompression.GZIP);
        ImageBuilder second = new ImageBuilder().layer(base(), LayerCompression.GZIP).layer(middle(), LayerCompression.ZSTD)
                .layer(new LayerBuilder().file("second-only", "two\n".repeat(100)), LayerCompression.LZ4);
        Path a = first.writeLayout(tmp.resolve("a"), "latest");
        Path b = second.writeLayout(tmp.resolve("b"), "latest");
        CountingSource[] counter = new CountingSource[1];
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), RepoMode.BARE_USER)) {
            ImportResult one = importCounting(repo, a, counter);
            long allLayers = first.layers().stream().mapToLong(l -> l.blob().length).sum();
            assertThat(counter[0].total()).as("first import reads every layer once").isEqualTo(allLayers);
            assertThat(one.bytesRead()).isEqualTo(allLayers);

            ImportResult again = importCounting(repo, a, counter);
            assertThat(counter[0].total()).as("re-import reads no layer").isZero();
            assertThat(again.layers()).allMatch(LayerResult::reused);
            assertThat(again.commit()).isEqualTo(one.commit());

            ImportResult two = importCounting(repo, b, counter);
            assertThat(counter[0].total()).as("only the new layer").isEqualTo(second.layers().get(2).blob().length);
            assertThat(counter[0].bytes.keySet()).containsExactly(second.layers().get(2).digest());
            assertThat(two.layers()).extracting(LayerResult::reused).containsExactly(true, true, false);
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + tmp.resolve("repo")).exitCode()).isZero();
        String merged = PeerTools.runOk(tmp, "ostree", "ls", "--repo=" + tmp.resolve("repo"), "-R",
                ContainerRefs.imageRef("oci:" + b + ":latest"));
        assertThat(merged).contains("/usr/lib/base.so", "/etc/shared.conf", "/second-only").doesNotContain("first-only");
    }

    @Test
    void pruneAfterImageRemovalDeletesOnlyWhatTheRemovedImageHeld() throws IOException {
        ImageBuilder first = new ImageBuilder().layer(base(), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("first-only", "unique to the first image\n".repeat(50)), LayerCompression.GZIP);
        ImageBuilder second = new ImageBuilder().layer(base(), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("second-only", "two\n"), LayerCompression.GZIP);
        Path a = first.writeLayout(tmp.resolve("a"), "latest");
        Path b = second.writeLayout(tmp.resolve("b"), "latest");
        Path repoPath = tmp.resolve("repo");
        CountingSource[] counter = new CountingSource[1];
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.ARCHIVE)) {
            importCounting(repo, a, counter);
            importCounting(repo, b, counter);
            long before = objectCount(repoPath);
            ImageStore store = new ImageStore(repo);
            assertThat(store.images().map(ImageStore.ImageInfo::name).collectList().block())
                    .containsExactlyInAnyOrder("oci:" + a + ":latest", "oci:" + b + ":latest");

            store.remove("oci:" + a + ":latest").block();
            ImageStore.PruneResult pruned = store.prune().block();

            assertThat(pruned.layerRefsRemoved()).containsExactly(ContainerRefs.blobRef(first.layers().get(1).digest()));
            long after = objectCount(repoPath);
            assertThat(pruned.objects().objectsDeleted()).isEqualTo(before - after).isPositive();
            // the first image's unique file, its layer commit, its merged commit and their trees are gone
            assertThat(after).isLessThan(before - 3);
            assertThat(store.layers().map(ImageStore.LayerInfo::digest).collectList().block())
                    .containsExactlyInAnyOrder(second.layers().get(0).digest(), second.layers().get(1).digest());
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repoPath).exitCode()).isZero();
        List<String> refs = List.of(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repoPath).split("\n"));
        assertThat(refs).hasSize(3).contains(ContainerRefs.imageRef("oci:" + b + ":latest"));
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + repoPath, ContainerRefs.imageRef("oci:" + b + ":latest"),
                tmp.resolve("co").toString());
        assertThat(tmp.resolve("co/usr/lib/base.so")).exists();
    }
}
