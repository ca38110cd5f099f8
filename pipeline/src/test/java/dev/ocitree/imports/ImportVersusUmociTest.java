package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.WriteOptions;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.RootfsListing;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The merged commit of the rules image (TestImages.rules: every layer rule) equals what the real
 * tools make of the same image: {@code umoci unpack}, then {@code ostree commit --tree=dir=} over
 * that rootfs into a repository of the same mode — compared as {@code ostree ls -R -X -C} of both
 * (every path's type, mode, owner, size, content checksum, xattrs, and every dirtree/dirmeta
 * checksum, root included). Devices and the FIFO, which OSTree cannot hold and ocitree skips, are
 * deleted from the umoci rootfs first.
 */
class ImportVersusUmociTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "import-test-io");

    @TempDir
    static Path shared;

    static Path images;
    static Path rootfs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void unpackWithUmoci() throws IOException {
        images = Files.createDirectories(shared.resolve("images"));
        TestImages.rules(LayerCompression.GZIP).writeLayout(images.resolve("gzip"), "latest");
        Path bundle = shared.resolve("bundle");
        PeerTools.runOk(shared, "umoci", "unpack", "--image", images.resolve("gzip") + ":latest", bundle.toString());
        rootfs = bundle.resolve("rootfs");
        PeerTools.runOk(rootfs, "find", ".", "(", "-type", "c", "-o", "-type", "b", "-o", "-type", "p", ")", "-delete");
    }

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    static ImportResult importInto(Path repoPath, RepoMode mode, String sourceName) {
        try (OstreeRepository repo = Files.exists(repoPath.resolve("config")) ? OstreeRepository.open(repoPath)
                : OstreeRepository.init(repoPath, mode);
                OciSource source = OciSource.open(sourceName, IO)) {
            return new ImageImporter(repo).importImage(source, ImportOptions.defaults())
                    .ofType(ImportEvent.Done.class).blockLast().result();
        }
    }

    static String ls(Path repo, String ref) {
        return PeerTools.runOk(repo, "ostree", "ls", "--repo=" + repo, "-R", "-X", "-C", ref);
    }

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void mergedTreeEqualsUmociUnpackCommittedByOstree(RepoMode mode) {
        Path ours = tmp.resolve("ours");
        ImportResult result = importInto(ours, mode, "oci:" + images.resolve("gzip") + ":latest");

        Path theirs = tmp.resolve("theirs");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + theirs, "--mode=" + mode.configName());
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + theirs, "--tree=dir=" + rootfs, "-b", "umoci",
                "--no-bindings");

        assertThat(ls(ours, result.imageRef())).isEqualTo(ls(theirs, "umoci"));
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + ours).exitCode()).isZero();
    }

    /**
     * The whole import subscribed from a {@code Schedulers.parallel()} thread (BlockHound fails any
     * file-system call made there), with the source's and the writes' schedulers injected: the
     * injected write scheduler does the object writes, and the result is the tree ostree commits.
     */
    @Test
    void wholeImportSubscribedFromAParallelThreadWithInjectedSchedulersEqualsOstreeCommit() {
        AtomicInteger tasks = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(3, 3, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "injected-write");
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads();
        Scheduler writes = Schedulers.fromExecutor(task -> {
            tasks.incrementAndGet();
            pool.execute(task);
        });
        Scheduler sourceIo = Schedulers.newBoundedElastic(2, 100, "injected-source");
        Path ours = tmp.resolve("ours");
        ImportResult result;
        try (OstreeRepository repo = OstreeRepository.init(ours, RepoMode.BARE_USER);
                OciSource source = OciSource.open("oci:" + images.resolve("gzip") + ":latest", sourceIo)) {
            result = new ImageImporter(repo)
                    .importImage(source, ImportOptions.defaults().write(WriteOptions.defaults().scheduler(writes)))
                    .subscribeOn(Schedulers.parallel())
                    .ofType(ImportEvent.Done.class).blockLast().result();
        } finally {
            sourceIo.dispose();
            pool.shutdown();
        }
        Path theirs = tmp.resolve("theirs");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + theirs, "--mode=bare-user");
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + theirs, "--tree=dir=" + rootfs, "-b", "umoci",
                "--no-bindings");
        assertThat(ls(ours, result.imageRef())).isEqualTo(ls(theirs, "umoci"));
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + ours).exitCode()).isZero();
        long objects = RootfsListing.of(rootfs).size();
        assertThat(tasks.get()).as("tasks run on the injected scheduler").isGreaterThan((int) objects);
    }

    @Test
    void checkoutOfTheMergedRefEqualsTheUmociRootfs() {
        Path ours = tmp.resolve("ours");
        ImportResult result = importInto(ours, RepoMode.ARCHIVE, "oci:" + images.resolve("gzip") + ":latest");
        Path checkout = tmp.resolve("checkout");
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + ours, result.imageRef(), checkout.toString());
        Map<String, String> expected = RootfsListing.of(rootfs);
        assertThat(expected).containsKeys("usr/lib/x.so", "etc/app/recreated-after.conf", "modes/setuid");
        assertThat(RootfsListing.of(checkout)).isEqualTo(expected);
    }

    /** umoci cannot read zstd or lz4: those twins (same tars, other compression) must give the gzip image's tree. */
    @Test
    void zstdLz4UncompressedAndMixedTwinsGiveTheGzipImagesTree() {
        Path ours = tmp.resolve("ours");
        Map<String, LayerCompression[]> twins = new java.util.LinkedHashMap<>();
        twins.put("gzip", new LayerCompression[] {LayerCompression.GZIP});
        twins.put("zstd", new LayerCompression[] {LayerCompression.ZSTD});
        twins.put("lz4", new LayerCompression[] {LayerCompression.LZ4});
        twins.put("none", new LayerCompression[] {LayerCompression.NONE});
        twins.put("mixed", new LayerCompression[] {LayerCompression.GZIP, LayerCompression.NONE, LayerCompression.ZSTD});
        twins.put("mixed2", new LayerCompression[] {LayerCompression.LZ4, LayerCompression.ZSTD, LayerCompression.GZIP});
        String gzipListing = null;
        for (Map.Entry<String, LayerCompression[]> twin : twins.entrySet()) {
            Path layout = TestImages.rules(twin.getValue()).writeLayout(tmp.resolve(twin.getKey()), "latest");
            ImportResult result = importInto(ours, RepoMode.BARE_USER, "oci:" + layout + ":latest");
            String listing = ls(ours, result.imageRef());
            if (gzipListing == null) {
                gzipListing = listing;
            }
            assertThat(listing).as(twin.getKey()).isEqualTo(gzipListing);
        }
        Path theirs = tmp.resolve("theirs");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + theirs, "--mode=bare-user");
        PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + theirs, "--tree=dir=" + rootfs, "-b", "umoci", "--no-bindings");
        assertThat(gzipListing).isEqualTo(ls(theirs, "umoci"));
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + ours).exitCode()).isZero();
    }

    @Test
    void mergedCommitCarriesOstreeExtMetadataAndTheSkippedEntries() throws IOException {
        Path ours = tmp.resolve("ours");
        Path layout = images.resolve("gzip");
        ImportResult result = importInto(ours, RepoMode.BARE_USER, "oci:" + layout + ":latest");
        String ref = result.imageRef();
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP);
        assertThat(metadata(ours, ref, "ostree.manifest-digest")).isEqualTo("'" + image.manifestDigest() + "'");
        byte[] manifest = Files.readAllBytes(layout.resolve("blobs/sha256/" + image.manifestDigest().substring(7)));
        assertThat(metadata(ours, ref, "ostree.manifest"))
                .isEqualTo("'" + new String(manifest, java.nio.charset.StandardCharsets.UTF_8) + "'");
        assertThat(result.skipped()).containsExactlyInAnyOrder("char-device(1,3) dev/mynull",
                "block-device(7,0) dev/myblock", "fifo dev/myfifo");
        assertThat(metadata(ours, ref, "ocitree.skipped")).contains("dev/mynull", "dev/myblock", "dev/myfifo");
        for (LayerResult layer : result.layers()) {
            assertThat(PeerTools.runOk(ours, "ostree", "rev-parse", "--repo=" + ours, ContainerRefs.blobRef(layer.digest())).trim())
                    .isEqualTo(layer.commit().hex());
        }
        // the layer commit keeps the layer as it is: its whiteout files are there
        String layer2 = ls(ours, ContainerRefs.blobRef(result.layers().get(1).digest()));
        assertThat(layer2).contains("/etc/app/.wh.remove-me.conf", "/opaque-dir/.wh..wh..opq");
    }

    private static String metadata(Path repo, String ref, String key) {
        return PeerTools.runOk(repo, "ostree", "show", "--repo=" + repo, "--print-metadata-key=" + key, ref).trim();
    }
}
