package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.PeerTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** ocitree's lock and a real ostree process exclude each other in both directions. */
class RepoLockTest {

    @TempDir
    Path dir;
    Path repo;
    Path tree;
    Scheduler io;

    @BeforeEach
    void repoWithShortLockTimeout() throws Exception {
        repo = dir.resolve("repo");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + repo, "--mode=bare-user-only");
        Files.writeString(repo.resolve("config"), "lock-timeout-secs=1\n", StandardOpenOption.APPEND);
        tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("f"), "x");
        io = Schedulers.newBoundedElastic(2, 100, "lock-test");
    }

    @AfterEach
    void stop() {
        io.dispose();
    }

    @Test
    void ourExclusiveLockMakesOstreeCommitFail() {
        RepoLock.Held held = RepoLock.of(repo).acquire(true, 0, io).block();
        try {
            PeerTools.Result r = PeerTools.run(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree, "-b", "m");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("Locking repo shared failed");
        } finally {
            io.schedule(held::release);
        }
    }

    @Test
    void ourSharedLockLetsOstreeCommitButNotPrune() {
        RepoLock.Held held = RepoLock.of(repo).acquire(false, 0, io).block();
        try {
            PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree, "-b", "m");
            PeerTools.Result prune = PeerTools.run(dir, "ostree", "prune", "--repo=" + repo, "--refs-only");
            assertThat(prune.exitCode()).isNotZero();
            assertThat(prune.stderr()).contains("Locking repo exclusive failed");
        } finally {
            io.schedule(held::release);
        }
        PeerTools.runOk(dir, "ostree", "prune", "--repo=" + repo, "--refs-only");
    }

    @Test
    void anotherProcessHoldingTheLockIsATypedErrorNamingTheLockFile() throws Exception {
        // a separate process takes the lock (POSIX fcntl, which conflicts with ostree's OFD locks too)
        Process holder = new ProcessBuilder(PeerTools.require("python3").toString(), "-c",
                "import fcntl,os,sys\nfd=os.open(sys.argv[1],os.O_RDWR|os.O_CREAT,0o600)\n"
                        + "fcntl.lockf(fd,fcntl.LOCK_EX)\nprint('locked',flush=True)\nsys.stdin.read()\n",
                repo.resolve(".lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> RepoLock.of(repo).acquire(false, 0, io).block())
                    .isInstanceOf(RepoLockedException.class)
                    .hasMessageContaining(repo.resolve(".lock").toString()).hasMessageContaining("shared");
            assertThatThrownBy(() -> RepoLock.of(repo).acquire(true, 0, io).block())
                    .isInstanceOf(RepoLockedException.class).hasMessageContaining("exclusive");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        RepoLock.Held held = RepoLock.of(repo).acquire(true, 0, io).block();
        assertThat(held).isNotNull();
        io.schedule(held::release);
    }

    @Test
    void sharedHoldersInOneJvmShareAndExcludeExclusive() {
        RepoLock lock = RepoLock.of(repo);
        RepoLock.Held a = lock.acquire(false, 0, io).block();
        RepoLock.Held b = lock.acquire(false, 0, io).block();
        assertThatThrownBy(() -> lock.acquire(true, 0, io).block()).isInstanceOf(RepoLockedException.class);
        io.schedule(a::release);
        assertThatThrownBy(() -> lock.acquire(true, 0, io).block()).isInstanceOf(RepoLockedException.class);
        RepoLock.Held released = lock.acquire(true, 2, io).doOnSubscribe(s -> io.schedule(b::release)).block();
        assertThat(released).isNotNull();
        io.schedule(released::release);
    }
}
