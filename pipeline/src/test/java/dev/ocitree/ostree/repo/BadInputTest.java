package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Bad input gives a typed error that names the object or ref, and leaves nothing behind; where
 * ostree has an opinion (fsck), it agrees with ours.
 */
class BadInputTest {

    @TempDir
    Path dir;
    Path tree;

    @BeforeEach
    void smallTree() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("hello.txt"), "Hello, OSTree!\n");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/nested.txt"), "nested file\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("hello.txt"));
    }

    private static Checksum commit(OstreeRepository repo, Path tree) {
        return repo.transaction(repo.writeDirectory(tree).flatMap(root -> repo.commit(
                CommitRequest.of(root.tree(), root.meta()).withSubject("s").withTimestamp(0).withRef("main")))).block();
    }

    private static Path objectFile(OstreeRepository repo, ObjectType type, Checksum c) {
        return repo.path().resolve(type.relativePath(c, repo.mode()));
    }

    @Test
    void truncatedCommitIsACorruptObjectNamingIt() throws Exception {
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), RepoMode.ARCHIVE)) {
            Checksum c = commit(repo, tree);
            Path file = objectFile(repo, ObjectType.COMMIT, c);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 7));
            assertThatThrownBy(() -> repo.loadCommit(c).block()).isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(c.hex() + ".commit").hasMessageContaining("hashes to");
            FsckReport report = repo.fsck().block();
            assertThat(report.corrupt()).extracting(FsckReport.Problem::object).containsExactly(c.hex() + ".commit");
            assertThat(PeerTools.run(dir, "ostree", "fsck", "--repo=" + repo.path()).exitCode()).isNotZero();
        }
    }

    @Test
    void nonNormalCommitNamedByItsHashIsRejected() throws Exception {
        byte[] vector;
        try (InputStream in = getClass().getResourceAsStream("/vectors/a-archive/commit.bin")) {
            vector = in.readAllBytes();
        }
        assertThat(vector[0x47]).as("padding byte before the timestamp of vector A").isZero();
        vector[0x47] = 1;
        Checksum name = Checksum.sha256(vector);
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), RepoMode.ARCHIVE)) {
            Path file = objectFile(repo, ObjectType.COMMIT, name);
            Files.createDirectories(file.getParent());
            Files.write(file, vector);
            assertThatThrownBy(() -> repo.loadCommit(name).block()).isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(name.hex() + ".commit");
            assertThat(repo.fsck().block().corrupt()).extracting(FsckReport.Problem::object)
                    .containsExactly(name.hex() + ".commit");
        }
    }

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void corruptFileContentFailsTheReadAtItsEndAndFsckAgreesWithOstree(RepoMode mode) throws Exception {
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), mode)) {
            Checksum c = commit(repo, tree);
            Checksum hello = repo.list(c, "/hello.txt", false).blockFirst().checksum();
            Path file = objectFile(repo, ObjectType.FILE, hello);
            if (mode == RepoMode.ARCHIVE) {
                byte[] filez = Files.readAllBytes(file);
                byte[] other = dev.ocitree.ostree.ArchiveFileEncoder.encode(
                        repo.loadFileMeta(hello).block(), "Hello, 0STree!\n".getBytes(StandardCharsets.UTF_8), 6);
                assertThat(other.length).isEqualTo(filez.length);
                Files.write(file, other);
            } else {
                AtomicFiles.chmod(file, 0644);
                Files.writeString(file, "Hello, 0STree!\n");
            }
            StepVerifier.create(repo.readFileContent(hello).doOnNext(ByteBuf::release))
                    .thenConsumeWhile(b -> true)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CorruptObjectException.class)
                            .hasMessageContaining(hello.hex()).hasMessageContaining("hashes to"))
                    .verify();
            assertThat(repo.fsck().block().corrupt()).extracting(FsckReport.Problem::object)
                    .containsExactly(hello.hex() + "." + ObjectType.FILE.extension(mode));
            PeerTools.Result real = PeerTools.run(dir, "ostree", "fsck", "--repo=" + repo.path());
            assertThat(real.exitCode()).isNotZero();
            assertThat(real.stdout() + real.stderr()).contains(hello.hex());
            if (mode == RepoMode.ARCHIVE) {
                // copies are verified while written; bare modes hard-link objects without re-hashing, as ostree does
                assertThatThrownBy(() -> repo.checkout(c, dir.resolve("co")).block())
                        .isInstanceOf(CorruptObjectException.class).hasMessageContaining(hello.hex());
            }
        }
    }

    @Test
    void refToAMissingCommitIsATypedErrorNamingRefAndCommit() throws Exception {
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), RepoMode.BARE_USER_ONLY)) {
            commit(repo, tree);
            String missing = "7a9a1" + "0".repeat(59);
            Files.writeString(repo.path().resolve("refs/heads/ghost"), missing + "\n");
            assertThatThrownBy(() -> repo.resolveCommit("ghost").block()).isInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("ghost").hasMessageContaining(missing + ".commit");
            assertThatThrownBy(() -> repo.resolveCommit("nosuchref").block()).isInstanceOf(RefNotFoundException.class)
                    .hasMessageContaining("nosuchref");
            assertThat(repo.fsck().block().missing()).extracting(FsckReport.Problem::object).containsExactly("ref ghost");
            PeerTools.Result real = PeerTools.run(dir, "ostree", "fsck", "--repo=" + repo.path());
            assertThat(real.exitCode()).isNotZero();
            assertThat(real.stderr()).contains("ghost");
        }
    }

    @Test
    void unknownOrUnsupportedModeIsATypedError() throws Exception {
        Path bare = dir.resolve("bare");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + bare, "--mode=bare");
        assertThatThrownBy(() -> OstreeRepository.open(bare)).isInstanceOf(UnknownRepoModeException.class)
                .hasMessageContaining("'bare'").hasMessageContaining(bare.toString());
        Path weird = dir.resolve("weird");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + weird, "--mode=archive");
        Files.writeString(weird.resolve("config"), "[core]\nrepo_version=1\nmode=archive-z9\n");
        assertThatThrownBy(() -> OstreeRepository.open(weird)).isInstanceOf(UnknownRepoModeException.class)
                .hasMessageContaining("archive-z9");
        assertThatThrownBy(() -> OstreeRepository.open(dir.resolve("nothing")))
                .isInstanceOf(InvalidRepositoryException.class).hasMessageContaining("not an OSTree repository");
    }

    @Test
    void repoLockedByAnotherProcessFailsTheCommitAndWritesNothing() throws Exception {
        Path r = dir.resolve("r");
        try (OstreeRepository repo = OstreeRepository.init(r, RepoMode.ARCHIVE)) {
            commit(repo, tree);
        }
        Files.writeString(r.resolve("config"), "lock-timeout-secs=0\n", StandardOpenOption.APPEND);
        List<Path> before = objects(r);
        String ref = Files.readString(r.resolve("refs/heads/main"));
        Files.writeString(tree.resolve("new.txt"), "new content\n");
        Process holder = new ProcessBuilder(PeerTools.require("python3").toString(), "-c",
                "import fcntl,os,sys\nfd=os.open(sys.argv[1],os.O_RDWR|os.O_CREAT,0o600)\n"
                        + "fcntl.lockf(fd,fcntl.LOCK_EX)\nprint('locked',flush=True)\nsys.stdin.read()\n",
                r.resolve(".lock").toString()).redirectErrorStream(true).start();
        try (OstreeRepository repo = OstreeRepository.open(r)) {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> commit(repo, tree)).isInstanceOf(RepoLockedException.class)
                    .hasMessageContaining(r.resolve(".lock").toString());
            assertThatThrownBy(() -> repo.prune().block()).isInstanceOf(RepoLockedException.class)
                    .hasMessageContaining("exclusive");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertThat(objects(r)).isEqualTo(before);
        assertThat(Files.readString(r.resolve("refs/heads/main"))).isEqualTo(ref);
        assertThat(tempFiles(r)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void contentShorterOrLongerThanAnnouncedIsRejectedAndNothingIsWritten(RepoMode mode) throws Exception {
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), mode)) {
            FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
            List<ByteBuf> made = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> repo.writeFile(meta, 20, chunks(made, "hello", " world")).block())
                    .isInstanceOf(ContentSizeMismatchException.class).hasMessageContaining("20")
                    .hasMessageContaining("11");
            assertThatThrownBy(() -> repo.writeFile(meta, 7, chunks(made, "hello", " world", "!")).block())
                    .isInstanceOf(ContentSizeMismatchException.class).hasMessageContaining("7");
            assertThat(made).isNotEmpty().allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
            assertThat(objects(repo.path())).isEmpty();
            assertThat(tempFiles(repo.path())).isEmpty();
        }
    }

    @Test
    void cancelledStreamedWriteReleasesEverythingAndLeavesNoTempFile() throws Exception {
        try (OstreeRepository repo = OstreeRepository.init(dir.resolve("r"), RepoMode.ARCHIVE)) {
            FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
            List<ByteBuf> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
            Flux<ByteBuf> endless = Flux.generate(sink -> {
                ByteBuf buf = Unpooled.buffer(1024).writeZero(1024);
                sent.add(buf);
                sink.next(buf);
            });
            StepVerifier.create(repo.writeFile(meta, 1 << 30, endless.take(100_000)))
                    .thenAwait(java.time.Duration.ofMillis(200))
                    .thenCancel()
                    .verify();
            // cleanup runs on the repository's scheduler after the cancel: wait until it is done
            for (int i = 0; i < 200 && !tempFiles(repo.path()).isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(tempFiles(repo.path())).isEmpty();
            assertThat(objects(repo.path())).isEmpty();
            for (int i = 0; i < 200 && sent.stream().anyMatch(buf -> buf.refCnt() > 0); i++) {
                Thread.sleep(50);
            }
            assertThat(sent).isNotEmpty().allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        }
    }

    /** Chunks allocated on demand (as a network source would), recorded in {@code made}. */
    private static Flux<ByteBuf> chunks(List<ByteBuf> made, String... parts) {
        return Flux.fromArray(parts).map(p -> {
            ByteBuf buf = Unpooled.copiedBuffer(p, StandardCharsets.UTF_8);
            made.add(buf);
            return buf;
        });
    }

    private static List<Path> objects(Path repo) throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
            return s.filter(p -> !Files.isDirectory(p)).sorted().toList();
        }
    }

    /** Files under tmp/ other than complete objects waiting in the staging area. */
    static boolean isStagingLock(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(Staging.PREFIX) && name.endsWith(Staging.LOCK_SUFFIX);
    }

    static List<Path> tempFiles(Path repo) throws Exception {
        Path tmp = repo.resolve("tmp");
        try (Stream<Path> s = Files.walk(tmp)) {
            // an open repository's staging lock file is not a temp file (it goes with close())
            // staged objects (named by their checksum) wait for a commit; anything else is a temp file
            return s.filter(p -> !Files.isDirectory(p)
                    && !p.getFileName().toString().matches("[0-9a-f]{64}\\.[a-z]+")
                    && !isStagingLock(p)).toList();
        }
    }

}
