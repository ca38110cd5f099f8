package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.testsupport.PeerTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for seeded random trees, {@code ocitree} and the real {@code ostree commit --tree=dir=}
 * produce the same commit checksum in every mode, and what ocitree wrote passes {@code ostree fsck}
 * and reads back identically through {@code ostree ls} and {@code ostree checkout}.
 */
class CommitInteropTest {

    private static final long TIMESTAMP = 1609459200L;

    @TempDir
    Path dir;

    /** One generated tree per seed, shared by the three modes. */
    @TempDir
    static Path trees;
    private static final Map<Long, Path> TREES = new ConcurrentHashMap<>();

    private static Path tree(long seed) {
        return TREES.computeIfAbsent(seed, s -> {
            try {
                return RandomTrees.generate(trees.resolve("tree-" + s), s, 300, RandomTrees.userXattrsSupported(trees));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static Stream<Arguments> seedsAndModes() {
        return Stream.of(11L, 2024L, 77_777L).flatMap(seed -> Stream.of(RepoMode.values()).map(m -> Arguments.of(seed, m)));
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("seedsAndModes")
    void randomTreeCommitsToTheSameChecksumAsOstree(long seed, RepoMode mode) throws Exception {
        Path tree = tree(seed);
        Path ours = dir.resolve("ours");
        Path theirs = dir.resolve("theirs");
        String cliMode = mode == RepoMode.ARCHIVE ? "archive" : mode.configName();
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + theirs, "--mode=" + cliMode);

        Checksum first;
        Checksum second;
        try (OstreeRepository repo = OstreeRepository.init(ours, mode)) {
            first = commit(repo, tree, "first");
            second = commit(repo, tree, "second");
        }
        String theirFirst = ostreeCommit(theirs, tree, "first");
        String theirSecond = ostreeCommit(theirs, tree, "second");

        assertThat(first.hex()).as("commit of %s in %s", tree, mode).isEqualTo(theirFirst);
        assertThat(second.hex()).as("child commit (parent from the ref)").isEqualTo(theirSecond);

        assertThat(PeerTools.runOk(dir, "ostree", "fsck", "--repo=" + ours)).contains("no errors found");
        assertThat(PeerTools.runOk(dir, "ostree", "log", "--repo=" + ours, "interop/main"))
                .isEqualTo(PeerTools.runOk(dir, "ostree", "log", "--repo=" + theirs, "interop/main"));
        assertThat(PeerTools.runOk(dir, "ostree", "ls", "-R", "-X", "--repo=" + ours, "interop/main"))
                .isEqualTo(PeerTools.runOk(dir, "ostree", "ls", "-R", "-X", "--repo=" + theirs, "interop/main"));
        // ostree cat reads our objects: the first five non-empty ASCII files
        try (OstreeRepository repo = OstreeRepository.open(ours)) {
            List<TreeEntry> files = repo.list(second, "/", true).filter(e -> e.isRegularFile() && e.size() > 0)
                    .collectList().block();
            int catted = 0;
            for (TreeEntry f : files) {
                byte[] content = Files.readAllBytes(tree.resolve(f.path().substring(1)));
                if (IntStream.range(0, content.length).allMatch(k -> content[k] >= 0)) {
                    assertThat(PeerTools.runOk(dir, "ostree", "cat", "--repo=" + ours, "interop/main", f.path()))
                            .isEqualTo(new String(content, StandardCharsets.US_ASCII));
                    if (++catted == 5) {
                        break;
                    }
                }
            }
            assertThat(catted).isPositive();
        }
        PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + ours, "interop/main", dir.resolve("co-ours").toString());
        PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + theirs, "interop/main", dir.resolve("co-theirs").toString());
        assertThat(TreeListing.of(dir.resolve("co-ours"))).isEqualTo(TreeListing.of(dir.resolve("co-theirs")));
    }

    private static Checksum commit(OstreeRepository repo, Path tree, String subject) {
        return repo.transaction(repo.writeDirectory(tree).flatMap(root -> repo.commit(
                CommitRequest.of(root.tree(), root.meta()).withSubject(subject).withBody("Body of " + subject)
                        .withTimestamp(TIMESTAMP).withMetadataString("version", "1." + subject.length())
                        .withRef("interop/main")))).block();
    }

    private String ostreeCommit(Path repo, Path tree, String subject) {
        return PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree, "-b", "interop/main",
                "-s", subject, "--body", "Body of " + subject, "--timestamp=@" + TIMESTAMP,
                "--add-metadata-string=version=1." + subject.length()).strip();
    }

}
