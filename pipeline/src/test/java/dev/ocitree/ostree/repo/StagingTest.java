package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Objects are staged (no per-object fsync) and published into {@code objects/} by a commit, a ref
 * update or close — ostree's transaction model — or, all but commits, every few thousand objects;
 * they are readable while staged.
 */
class StagingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void objectsAppearUnderObjectsOnlyWhenACommitPublishesThem(RepoMode mode) throws Exception {
        Path path = dir.resolve("r");
        byte[] small = "small file\n".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[ObjectWriter.INLINE_LIMIT + 12345];
        new java.util.Random(7).nextBytes(large);
        FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
        try (OstreeRepository repo = OstreeRepository.init(path, mode)) {
            Checksum a = repo.writeFile(meta, small).block();
            Checksum b = repo.writeFile(meta, large.length,
                    Flux.range(0, large.length / 65536 + 1).map(i -> Unpooled.wrappedBuffer(large, i * 65536,
                            Math.min(65536, large.length - i * 65536)))).block();
            Checksum dm = repo.writeDirmeta(Dirmeta.directory(0, 0, 0755, Xattrs.empty())).block();
            MutableTree tree = new MutableTree(dm);
            tree.putFile("small", a);
            tree.putFile("large", b);
            Checksum root = repo.writeTree(tree).block();

            // staged: readable and present, but nothing under objects/ yet
            assertThat(objectFiles(path)).isEmpty();
            assertThat(repo.has(ObjectType.FILE, a).block()).isTrue();
            assertThat(repo.has(ObjectType.DIR_TREE, root).block()).isTrue();
            assertThat(read(repo, b)).isEqualTo(large);
            assertThat(repo.loadDirtree(root).block().files()).containsKeys("small", "large");

            Checksum commit = repo.commit(CommitRequest.of(root, dm).withSubject("s").withRef("main")).block();
            assertThat(objectFiles(path)).hasSize(5).anySatisfy(p -> assertThat(p.getFileName().toString())
                    .isEqualTo(commit.hex().substring(2) + ".commit"));
            assertThat(BadInputTest.tempFiles(path)).isEmpty();
            assertThat(read(repo, b)).isEqualTo(large);
        }
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + path)).contains("no errors");
        assertThat(PeerTools.runOk(dir, "ostree", "cat", "--repo=" + path, "main", "/small")).isEqualTo("small file\n");
        try (Stream<Path> s = Files.list(path.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).allSatisfy(
                    n -> assertThat(n).doesNotStartWith(Staging.PREFIX));
        }
    }

    @Test
    void aBigImportPublishesItsObjectsAsItGoesButNoCommitBeforeItsTree() throws Exception {
        Path path = dir.resolve("r");
        FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
        int n = Staging.PUBLISH_EVERY + 100;
        try (OstreeRepository repo = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY)) {
            Checksum dm = repo.writeDirmeta(Dirmeta.directory(0, 0, 0755, Xattrs.empty())).block();
            MutableTree tree = new MutableTree(dm);
            List<Checksum> files = Flux.range(0, n)
                    .concatMap(i -> repo.writeFile(meta, ("file " + i + "\n").getBytes(StandardCharsets.UTF_8)))
                    .collectList().block();
            for (int i = 0; i < n; i++) {
                tree.putFile("f" + i, files.get(i));
            }
            // published while the writes went on: no commit yet, the sync and renames not left to its end
            assertThat(objectFiles(path)).hasSizeGreaterThanOrEqualTo(Staging.PUBLISH_EVERY)
                    .noneMatch(p -> p.toString().endsWith(".commit"));
            Checksum root = repo.writeTree(tree).block();
            repo.commit(CommitRequest.of(root, dm).withSubject("s").withRef("main")).block();
            assertThat(objectFiles(path)).hasSize(n + 3);
        }
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + path)).contains("no errors");
        assertThat(PeerTools.runOk(dir, "ostree", "cat", "--repo=" + path, "main", "/f4100")).isEqualTo("file 4100\n");
    }

    @Test
    void closePublishesWhatWasWrittenSoNothingIsLost() throws Exception {
        Path path = dir.resolve("r");
        Checksum c;
        try (OstreeRepository repo = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY)) {
            c = repo.writeFile(FileMeta.regular(0, 0, 0644, Xattrs.empty()), "kept\n".getBytes(StandardCharsets.UTF_8))
                    .block();
            assertThat(objectFiles(path)).isEmpty();
        }
        assertThat(objectFiles(path)).hasSize(1);
        try (OstreeRepository repo = OstreeRepository.open(path)) {
            assertThat(repo.has(ObjectType.FILE, c).block()).isTrue();
        }
    }

    @Test
    void closeStopsEveryThreadOfTheRepository() throws Exception {
        Path path = dir.resolve("threads-check-repo");
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        try (OstreeRepository repo = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY)) {
            repo.writeFile(FileMeta.regular(0, 0, 0644, Xattrs.empty()), "x".getBytes(StandardCharsets.UTF_8)).block();
            assertThat(threads()).isNotEmpty().allMatch(Thread::isDaemon);
        }
        assertThat(threads()).isEmpty();
        // nothing started on the repository's behalf may keep an embedding JVM alive
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.isDaemon() && !before.contains(t)).map(Thread::getName)).isEmpty();
    }

    private static List<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().contains("-threads-check-repo-")).toList();
    }

    @Test
    void theSameObjectFromManyWritersIsWrittenOnce() throws Exception {
        Path path = dir.resolve("r");
        byte[] data = "same\n".getBytes(StandardCharsets.UTF_8);
        try (OstreeRepository repo = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY)) {
            List<Checksum> sums = Flux.range(0, 64)
                    .flatMap(i -> repo.writeFile(FileMeta.regular(0, 0, 0644, Xattrs.empty()), data)
                            .subscribeOn(Schedulers.parallel()))
                    .collectList().block();
            assertThat(sums).hasSize(64).containsOnly(sums.get(0));
            try (Stream<Path> s = Files.walk(path.resolve("tmp"))) {
                assertThat(s.filter(Files::isRegularFile).filter(p -> !BadInputTest.isStagingLock(p))).hasSize(1);
            }
        }
    }

    @Test
    void pruneRemovesStagingAreasLeftByACrashedProcess() throws Exception {
        Path path = dir.resolve("r");
        try (OstreeRepository repo = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY)) {
            Path orphan = path.resolve("tmp").resolve(Staging.PREFIX + "dead/objects/ab");
            Files.createDirectories(orphan);
            Files.writeString(orphan.resolve("cdef.file"), "half");
            repo.prune().block();
            assertThat(path.resolve("tmp").resolve(Staging.PREFIX + "dead")).doesNotExist();
        }
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + path)).contains("no errors");
    }

    @Test
    void theNextWriteRemovesStagingAreasOfDeadProcessesAndLeavesLiveOnes() throws Exception {
        Path path = dir.resolve("r");
        OstreeRepository.init(path, RepoMode.BARE_USER_ONLY).close();
        Path tmp = path.resolve("tmp");
        Path dead = stagingArea(tmp, "dead", 3000);
        Path live = stagingArea(tmp, "live", 100);
        Path lockless = stagingArea(tmp, "lockless", 50);
        Files.delete(tmp.resolve(Staging.PREFIX + "lockless" + Staging.LOCK_SUFFIX));
        // another process holds the live area's lock with POSIX fcntl locks (python's lockf), as a
        // running ocitree does
        Process holder = new ProcessBuilder(PeerTools.require("python3").toString(), "-c",
                "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\n"
                        + "time.sleep(120)", tmp.resolve(Staging.PREFIX + "live" + Staging.LOCK_SUFFIX).toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("locked\n");
            try (OstreeRepository repo = OstreeRepository.open(path)) {
                assertThat(dead).exists();
                repo.writeFile(FileMeta.regular(0, 0, 0644, Xattrs.empty()), "x".getBytes(StandardCharsets.UTF_8)).block();
                assertThat(dead).doesNotExist();
                assertThat(tmp.resolve(Staging.PREFIX + "dead" + Staging.LOCK_SUFFIX)).doesNotExist();
                assertThat(lockless).doesNotExist();
                assertThat(live).exists();
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // the holder is dead now: prune removes its area and reports what it freed
        try (OstreeRepository repo = OstreeRepository.open(path)) {
            PruneReport report = repo.prune().block();
            assertThat(report.stagingAreasRemoved()).isEqualTo(1);
            assertThat(report.stagingBytesFreed()).isEqualTo(100);
            assertThat(report.totalBytesFreed()).isEqualTo(report.bytesFreed() + 100);
        }
        assertThat(live).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(Staging.PREFIX));
        }
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + path)).contains("no errors");
    }

    @Test
    void twoRepositoriesOfOneJvmKeepEachOthersStagingAreas() throws Exception {
        Path path = dir.resolve("r");
        FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
        try (OstreeRepository a = OstreeRepository.init(path, RepoMode.BARE_USER_ONLY);
                OstreeRepository b = OstreeRepository.open(path)) {
            Checksum first = a.writeFile(meta, "first\n".getBytes(StandardCharsets.UTF_8)).block();
            b.writeFile(meta, "second\n".getBytes(StandardCharsets.UTF_8)).block();
            b.prune().block();
            // a's staged object survived b's sweep and prune, and a's lock still holds (a third
            // repository's first write, another sweep, leaves it too)
            try (OstreeRepository c = OstreeRepository.open(path)) {
                c.writeFile(meta, "third\n".getBytes(StandardCharsets.UTF_8)).block();
            }
            assertThat(read(a, first)).isEqualTo("first\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A staging area as a process leaves it: its lock file and {@code bytes} of staged object. */
    private static Path stagingArea(Path tmp, String id, int bytes) throws Exception {
        Path area = tmp.resolve(Staging.PREFIX + id);
        Files.createDirectories(area.resolve("objects/ab"));
        Files.write(area.resolve("objects/ab/" + "c".repeat(62) + ".file"), new byte[bytes]);
        Files.createFile(tmp.resolve(Staging.PREFIX + id + Staging.LOCK_SUFFIX));
        return area;
    }

    private static byte[] read(OstreeRepository repo, Checksum c) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        repo.readFileContent(c).doOnNext(buf -> {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.writeBytes(bytes);
        }).blockLast();
        return out.toByteArray();
    }

    private static List<Path> objectFiles(Path repo) throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
            return s.filter(p -> !Files.isDirectory(p)).sorted().toList();
        }
    }
}
