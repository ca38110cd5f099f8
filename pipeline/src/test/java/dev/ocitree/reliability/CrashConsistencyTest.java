package dev.ocitree.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImageStore;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Real {@code ocitree} processes killed with SIGKILL at random points of imports and prunes: after
 * every kill {@code ostree fsck} passes and every ref names a commit whose whole tree is present;
 * afterwards every import re-runs to completion and no staging area is left. Two imports and an
 * import with a prune, as processes and as threads, all complete with nothing removed.
 */
class CrashConsistencyTest {

    /** Kills that must land on a running process per run (the issue asks for at least 50). */
    private static final int KILLS = 52;
    private static final int MAX_ROUNDS = 90;
    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "crash-test-io");

    @TempDir
    Path tmp;
    private final List<String> images = new ArrayList<>();
    private final List<ImageBuilder> builders = new ArrayList<>();

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    @BeforeEach
    void images() {
        LayerBuilder base = new LayerBuilder().dir("usr").dir("usr/share");
        for (int i = 0; i < 1500; i++) {
            base.file("usr/share/base-" + i, ("base file " + i + "\n").repeat(1 + i % 40));
        }
        for (int n = 0; n < 3; n++) {
            LayerBuilder own = new LayerBuilder().dir("opt").dir("opt/app" + n);
            for (int i = 0; i < 600; i++) {
                own.file("opt/app" + n + "/f" + i, ("image " + n + " file " + i + "\n").repeat(1 + i % 25));
            }
            ImageBuilder image = new ImageBuilder().layer(base, LayerCompression.GZIP)
                    .layer(own, n == 1 ? LayerCompression.ZSTD : LayerCompression.GZIP)
                    .layer(new LayerBuilder().dir("etc").file("etc/image", "image " + n + "\n")
                            .whiteout("usr/share/base-" + n), LayerCompression.GZIP);
            Path layout = image.writeLayout(tmp.resolve("image" + n), "latest");
            images.add("oci:" + layout + ":latest");
            builders.add(image);
        }
    }

    @Test
    void sigkillAtRandomPointsOfImportsAndPrunesLeavesAConsistentRepository() throws Exception {
        Path repo = tmp.resolve("repo");
        CliProcess.run(tmp, repo, 60, "init", "--mode=bare-user-only").ok();
        long importMillis = timed(() -> CliProcess.run(tmp, repo, 120, "import", images.get(0), "-b", "crash/0").ok());
        removeImage(repo, 0);
        long pruneMillis = timed(() -> CliProcess.run(tmp, repo, 120, "prune").ok());
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // the kill lands uniformly within an estimate of the run's length, which shrinks whenever a
        // run ends first (a re-import of present layers is much shorter than the first import)
        double[] estimate = {importMillis, pruneMillis};
        int kills = 0;
        int importKills = 0;
        int pruneKills = 0;
        int rounds = 0;
        for (; kills < KILLS && rounds < MAX_ROUNDS; rounds++) {
            boolean prune = rounds % 4 == 3;
            int kind = prune ? 1 : 0;
            CliProcess p;
            if (prune) {
                removeImage(repo, random.nextInt(images.size()));
                p = CliProcess.start(tmp, "256m", repo, "prune");
            } else {
                int n = random.nextInt(images.size());
                p = CliProcess.start(tmp, "256m", repo, "import", images.get(n), "-b", "crash/" + n);
            }
            Thread.sleep((long) (estimate[kind] * random.nextDouble()));
            if (p.isAlive()) {
                p.kill();
                kills++;
                if (prune) {
                    pruneKills++;
                } else {
                    importKills++;
                }
            } else {
                p.await(10);
                estimate[kind] *= 0.8;
            }
            assertFsckClean(repo, "round " + rounds + " (seed " + seed + ")");
        }
        assertThat(kills).as("kills on running processes in %d rounds (seed %d)", rounds, seed).isGreaterThanOrEqualTo(KILLS);
        assertThat(importKills).isPositive();
        assertThat(pruneKills).isPositive();

        // every import re-runs to completion; the next writes removed every dead staging area
        for (int n = 0; n < images.size(); n++) {
            CliProcess.run(tmp, repo, 120, "import", images.get(n), "-b", "crash/" + n).ok();
        }
        assertThat(CliProcess.run(tmp, repo, 60, "images").ok()).contains(images.toArray(String[]::new));
        CliProcess.run(tmp, repo, 120, "prune").ok();
        assertConsistent(repo, "after the re-runs");
        for (int n = 0; n < images.size(); n++) {
            assertThat(PeerTools.runOk(tmp, "ostree", "cat", "--repo=" + repo, "crash/" + n, "/etc/image"))
                    .isEqualTo("image " + n + "\n");
        }
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(f -> f.startsWith("ocitree-staging-"));
        }
        System.out.printf("crash test: %d kills (%d import, %d prune) in %d rounds, seed %d%n", kills, importKills,
                pruneKills, rounds, seed);
    }

    @Test
    void twoImportsAndAPruneAsProcessesAllComplete() {
        Path repo = tmp.resolve("repo");
        CliProcess.run(tmp, repo, 60, "init", "--mode=bare-user-only").ok();
        CliProcess a = CliProcess.start(tmp, "256m", repo, "import", images.get(0), "-b", "a");
        CliProcess b = CliProcess.start(tmp, "256m", repo, "import", images.get(1), "-b", "b");
        CliProcess prune = CliProcess.start(tmp, "256m", repo, "prune");
        a.await(120).ok();
        b.await(120).ok();
        prune.await(120).ok();
        String layers = CliProcess.run(tmp, repo, 60, "layers").ok();
        for (int n = 0; n < 2; n++) {
            for (ImageBuilder.Layer layer : builders.get(n).layers()) {
                assertThat(layers).contains(layer.digest());
            }
        }
        assertConsistent(repo, "two imports and a prune");
    }

    @Test
    void twoImportsAndAPruneAsThreadsAllComplete() throws Exception {
        Path repo = tmp.resolve("repo");
        OstreeRepository.init(repo, RepoMode.BARE_USER_ONLY).close();
        try (OstreeRepository one = OstreeRepository.open(repo); OstreeRepository two = OstreeRepository.open(repo)) {
            CompletableFuture<ImportResult> a = CompletableFuture.supplyAsync(() -> importVia(one, images.get(0)));
            CompletableFuture<ImportResult> b = CompletableFuture.supplyAsync(() -> importVia(two, images.get(1)));
            CompletableFuture<ImageStore.PruneResult> pruned = new ImageStore(two).prune().toFuture();
            a.get(120, TimeUnit.SECONDS);
            b.get(120, TimeUnit.SECONDS);
            assertThat(pruned.get(120, TimeUnit.SECONDS).layerRefsRemoved()).isEmpty();
            assertThat(new ImageStore(one).layers().collectList().block()).hasSize(5)
                    .allSatisfy(l -> assertThat(l.usedBy()).isPositive());
        }
        assertConsistent(repo, "threads");
    }

    private static ImportResult importVia(OstreeRepository repo, String name) {
        try (OciSource source = OciSource.open(name, IO)) {
            return new ImageImporter(repo).importImage(source, ImportOptions.defaults().concurrency(2))
                    .ofType(ImportEvent.Done.class).blockLast().result();
        }
    }

    /** Deletes image {@code n}'s record and branch with the real ostree, so prune has layers to remove. */
    private void removeImage(Path repo, int n) {
        for (String ref : List.of(ContainerRefs.imageRef(images.get(n)), "crash/" + n)) {
            PeerTools.run(tmp, "ostree", "refs", "--repo=" + repo, "--delete", ref);
        }
    }

    /**
     * ostree fsck passes: every ref names a present commit, and every commit object (referenced or
     * not) has its whole tree, every object hashing to its name.
     */
    private void assertFsckClean(Path repo, String when) {
        PeerTools.Result fsck = PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repo);
        assertThat(fsck.exitCode()).as("ostree fsck %s: %s %s", when, fsck.stdout(), fsck.stderr()).isZero();
    }

    /** {@link #assertFsckClean} and every ref's whole tree lists with ostree. */
    private void assertConsistent(Path repo, String when) {
        assertFsckClean(repo, when);
        for (String ref : PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo).lines().toList()) {
            PeerTools.Result ls = PeerTools.run(tmp, "ostree", "ls", "--repo=" + repo, "-R", ref);
            assertThat(ls.exitCode()).as("ref %s %s: %s", ref, when, ls.stderr()).isZero();
        }
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
