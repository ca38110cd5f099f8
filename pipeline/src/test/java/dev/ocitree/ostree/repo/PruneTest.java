package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our prune deletes exactly what {@code ostree prune --refs-only} deletes from the same repository. */
class PruneTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void pruneKeepsWhatRefsReachLikeOstreePruneRefsOnly(RepoMode mode) throws Exception {
        Path ours = dir.resolve("ours");
        Path a = RandomTrees.generate(dir.resolve("a"), 1, 40, false);
        Path b = RandomTrees.generate(dir.resolve("b"), 2, 40, false);
        Path c = RandomTrees.generate(dir.resolve("c"), 3, 40, false);
        try (OstreeRepository repo = OstreeRepository.init(ours, mode)) {
            commit(repo, a, "main", false);
            commit(repo, b, "main", false);
            Checksum orphan = commit(repo, c, null, true);
            commit(repo, c, "doomed", false);
            repo.deleteRef("doomed").block();
            assertThat(repo.has(dev.ocitree.ostree.ObjectType.COMMIT, orphan).block()).isTrue();
        }
        Path theirs = dir.resolve("theirs");
        PeerTools.runOk(dir, "cp", "-a", ours.toString(), theirs.toString());
        List<String> before = objects(ours);

        PruneReport report;
        try (OstreeRepository repo = OstreeRepository.open(ours)) {
            report = repo.prune().block();
        }
        PeerTools.runOk(dir, "ostree", "prune", "--repo=" + theirs, "--refs-only");

        List<String> after = objects(ours);
        assertThat(after).isEqualTo(objects(theirs));
        assertThat(report.objectsTotal()).isEqualTo(before.size());
        assertThat(report.objectsDeleted()).isEqualTo(before.size() - after.size()).isPositive();
        assertThat(report.bytesFreed()).isPositive();
        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + ours)).contains("no errors found");
        assertThat(PeerTools.runOk(dir, "ostree", "log", "--repo=" + ours, "main")).contains("Parent:");
    }

    private static Checksum commit(OstreeRepository repo, Path tree, String ref, boolean orphan) {
        return repo.transaction(repo.writeDirectory(tree).flatMap(root -> {
            CommitRequest r = CommitRequest.of(root.tree(), root.meta()).withSubject("s").withTimestamp(1);
            return repo.commit(orphan ? r : r.withRef(ref));
        })).block();
    }

    private static List<String> objects(Path repo) throws Exception {
        Path objects = repo.resolve("objects");
        try (Stream<Path> s = Files.walk(objects)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> objects.relativize(p).toString()).sorted().toList();
        }
    }
}
