package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.oci.OciSource;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ostree commit → ocitree export → ocitree import into a fresh repository of each mode → the same
 * commit checksum, as {@code ostree} itself reports it, with parent, metadata of several GVariant
 * types and detached metadata.
 */
class CommitRoundTripTest {


    @TempDir
    static Path shared;
    static Path canonicalRepo;
    static String canonicalCommit;
    static Path richRepo;
    static String richCommit;

    @BeforeAll
    static void commitTrees() throws IOException {
        canonicalRepo = shared.resolve("canonical-repo");
        canonicalCommit = ExportFixtures.commitWithHistory(canonicalRepo, "archive",
                ExportFixtures.tree(shared.resolve("canonical"), false), "os/stable");
        richRepo = shared.resolve("rich-repo");
        richCommit = ExportFixtures.commitWithHistory(richRepo, "bare-user",
                ExportFixtures.tree(shared.resolve("rich"), true), "os/stable");
    }



    private static String ostree(Path repo, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ostree";
        cmd[1] = "--repo=" + repo;
        System.arraycopy(args, 0, cmd, 2, args.length);
        return PeerTools.runOk(repo.getParent(), cmd).trim();
    }

    @ParameterizedTest
    @EnumSource(value = RepoMode.class, names = {"ARCHIVE", "BARE_USER", "BARE_USER_ONLY"})
    void exportThenImportGivesTheSameCommitChecksumInEveryMode(RepoMode mode, @TempDir Path tmp) {
        ExportResult exported = ExportTesting.export(canonicalRepo, "os/stable", "oci:" + tmp.resolve("img"),
                Compression.GZIP);
        Path repo = tmp.resolve("repo");
        List<ImportEvent> events = ExportTesting.importInto(repo, mode, "oci:" + tmp.resolve("img"), "mine");
        RestoredCommit restored = events.stream().filter(e -> e instanceof ImportEvent.Restored)
                .map(e -> ((ImportEvent.Restored) e).restored()).findFirst().orElseThrow();
        assertThat(restored.commit().hex()).isEqualTo(canonicalCommit).isEqualTo(exported.commit().hex());
        assertThat(restored.refs()).containsExactly("os/stable", "mine");
        assertThat(ostree(repo, "rev-parse", "os/stable")).isEqualTo(canonicalCommit);
        assertThat(ostree(repo, "rev-parse", "mine")).isEqualTo(canonicalCommit);
        // ostree reads the same commit: subject, body, parent, metadata, detached metadata
        for (String[] query : new String[][] {{"show", "os/stable"}, {"show", "--print-metadata-key=count", "os/stable"},
                {"show", "--print-metadata-key=nested", "os/stable"}, {"show", "--print-metadata-key=list", "os/stable"},
                {"show", "--print-detached-metadata-key=signed-by", "os/stable"}, {"rev-parse", "os/stable^"}}) {
            assertThat(ostree(repo, query)).as(String.join(" ", query)).isEqualTo(ostree(canonicalRepo, query));
        }
        assertThat(ostree(repo, "show", "--print-detached-metadata-key=signed-by", "os/stable")).isEqualTo("'tester'");
        PeerTools.runOk(tmp, "ostree", "fsck", "--repo=" + repo);
        PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + repo, "-U", "os/stable", tmp.resolve("co").toString());
    }

    @ParameterizedTest
    @EnumSource(value = RepoMode.class, names = {"ARCHIVE", "BARE_USER"})
    void ownersSpecialBitsAndXattrsSurviveTheRoundTrip(RepoMode mode, @TempDir Path tmp) {
        ExportTesting.export(richRepo, "os/stable", "oci-archive:" + tmp.resolve("img.tar"), Compression.ZSTD);
        ExportTesting.export(richRepo, "os/stable", "docker-archive:" + tmp.resolve("docker.tar"), Compression.GZIP);
        for (String source : new String[] {"oci-archive:" + tmp.resolve("img.tar"), "docker-archive:" + tmp.resolve("docker.tar")}) {
            Path repo = tmp.resolve("repo-" + source.substring(0, 3));
            ExportTesting.importInto(repo, mode, source, null);
            assertThat(ostree(repo, "rev-parse", "os/stable")).as(source).isEqualTo(richCommit);
            assertThat(ostree(repo, "ls", "-R", "-X", "os/stable")).isEqualTo(ostree(richRepo, "ls", "-R", "-X", "os/stable"));
        }
    }

    @Test
    void aTreeTheRepositoryCannotHoldIsRefusedNamingWhatDiffers(@TempDir Path tmp) {
        ExportTesting.export(richRepo, "os/stable", "oci:" + tmp.resolve("img"), Compression.GZIP);
        Path repo = tmp.resolve("repo");
        assertThatThrownBy(() -> ExportTesting.importInto(repo, RepoMode.BARE_USER_ONLY, "oci:" + tmp.resolve("img"), "mine"))
                .isInstanceOf(CommitRestoreException.class)
                .hasMessageContaining(richCommit)
                .hasMessageContaining("root dirtree")
                .hasMessageContaining("bare-user-only");
        assertThat(PeerTools.run(tmp, "ostree", "rev-parse", "--repo=" + repo, "os/stable").exitCode()).isNotZero();
        assertThat(PeerTools.run(tmp, "ostree", "show", "--repo=" + repo, richCommit).exitCode()).isNotZero();
        // checked before the image is committed: no image ref, no branch (the layer's own commit,
        // a valid cache of the blob, stays)
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo).lines())
                .isNotEmpty().allMatch(r -> r.startsWith("ostree/container/blob/"));
    }
}
