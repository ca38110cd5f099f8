package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An archive repository written by ocitree, served over loopback HTTP by a static file server, is
 * pulled by the real {@code ostree pull} into fresh repositories of every mode; single-ref pulls
 * work, full-history pulls follow the parent chain, and what arrives passes {@code ostree fsck} and
 * checks out to the tree that was committed.
 */
class PullInteropTest {

    @TempDir
    static Path dir;
    static Path served;
    static StaticHttpServer server;
    static Checksum first;
    static Checksum second;
    static Checksum other;

    @BeforeAll
    static void serveAnOcitreeArchiveRepo() throws Exception {
        served = dir.resolve("served");
        Path treeA = RandomTrees.generate(dir.resolve("treeA"), 5, 150, false, true);
        Path treeB = RandomTrees.generate(dir.resolve("treeB"), 6, 150, false, true);
        try (OstreeRepository repo = OstreeRepository.init(served, RepoMode.ARCHIVE)) {
            first = commit(repo, treeA, "app/x86_64/stable", "one");
            second = commit(repo, treeB, "app/x86_64/stable", "two");
            other = commit(repo, treeA, "other", "three");
            repo.checkout(second, dir.resolve("expected-second")).block();
            repo.checkout(other, dir.resolve("expected-other")).block();
        }
        server = new StaticHttpServer(served);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Checksum commit(OstreeRepository repo, Path tree, String ref, String subject) {
        return repo.transaction(repo.writeDirectory(tree).flatMap(root -> repo.commit(
                CommitRequest.of(root.tree(), root.meta()).withSubject(subject).withTimestamp(1_700_000_000L)
                        .withRef(ref)))).block();
    }

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void ostreePullsASingleRefAndTheHistory(RepoMode mode) throws Exception {
        Path client = dir.resolve("client-" + mode);
        String cliMode = mode == RepoMode.ARCHIVE ? "archive" : mode.configName();
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + client, "--mode=" + cliMode);
        PeerTools.runOk(dir, "ostree", "remote", "add", "--repo=" + client, "--no-gpg-verify", "origin", server.url());

        PeerTools.runOk(dir, "ostree", "pull", "--repo=" + client, "origin", "other");
        assertThat(PeerTools.runOk(dir, "ostree", "rev-parse", "--repo=" + client, "origin:other").strip())
                .isEqualTo(other.hex());
        assertThat(PeerTools.runOk(dir, "ostree", "refs", "--repo=" + client).strip()).isEqualTo("origin:other");

        PeerTools.runOk(dir, "ostree", "pull", "--repo=" + client, "--depth=-1", "origin", "app/x86_64/stable");
        assertThat(PeerTools.runOk(dir, "ostree", "rev-parse", "--repo=" + client, "origin:app/x86_64/stable").strip())
                .isEqualTo(second.hex());
        String log = PeerTools.runOk(dir, "ostree", "log", "--repo=" + client, "origin:app/x86_64/stable");
        assertThat(log).contains("commit " + second.hex(), "Parent:  " + first.hex(), "commit " + first.hex())
                .doesNotContain("History beyond");
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + client)).contains("no errors found");

        Path co = dir.resolve("co-" + mode);
        PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + client, "origin:app/x86_64/stable", co.toString());
        assertThat(TreeListing.of(co)).isEqualTo(TreeListing.of(dir.resolve("expected-second")));
        Path coOther = dir.resolve("co-other-" + mode);
        PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + client, "origin:other", coOther.toString());
        assertThat(TreeListing.of(coOther)).isEqualTo(TreeListing.of(dir.resolve("expected-other")));
        assertThat(server.requests()).anyMatch(r -> r.startsWith("GET /objects/") && r.endsWith(".filez -> 200"));
    }
}
