package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RepoConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"archive,archive-z2", "archive-z2,archive-z2", "bare-user,bare-user", "bare-user-only,bare-user-only"})
    void initialTextIsExactlyWhatOstreeInitWrites(String cliMode, String configName) throws Exception {
        Path repo = dir.resolve("r");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + repo, "--mode=" + cliMode);
        String real = Files.readString(repo.resolve("config"));
        assertThat(RepoConfig.initialText(configName)).isEqualTo(real);
        assertThat(RepoConfig.parse(repo, real).mode()).isEqualTo(configName);
    }

    @Test
    void defaultsFollowOstree() {
        RepoConfig c = RepoConfig.parse(dir, "# comment\n[core]\nrepo_version=1\n");
        assertThat(c.mode()).isEqualTo("bare");
        assertThat(c.fsync(dir)).isTrue();
        assertThat(c.lockTimeoutSeconds(dir)).isEqualTo(30);
        assertThat(c.zlibLevel(dir)).isEqualTo(6);
    }

    @Test
    void readsTheKeysOcitreeHonours() {
        RepoConfig c = RepoConfig.parse(dir, "[core]\nrepo_version=1\nmode=archive-z2\nfsync=false\n"
                + "lock-timeout-secs=3\ncollection-id=org.example.Os\n[archive]\nzlib-level=12\n"
                + "[remote \"origin\"]\nurl=http://example\n");
        assertThat(c.fsync(dir)).isFalse();
        assertThat(c.lockTimeoutSeconds(dir)).isEqualTo(3);
        assertThat(c.zlibLevel(dir)).isEqualTo(9);
        assertThat(c.collectionId()).isEqualTo("org.example.Os");
        assertThat(RepoConfig.parse(dir, "[core]\nrepo_version=1\nlocking=false\n").lockTimeoutSeconds(dir)).isNegative();
    }

    @Test
    void rejectsWhatOstreeRejects() {
        assertThatThrownBy(() -> RepoConfig.parse(dir, "[core]\nmode=bare-user\n"))
                .isInstanceOf(InvalidRepositoryException.class).hasMessageContaining("repo_version");
        assertThatThrownBy(() -> RepoConfig.parse(dir, "[core]\nrepo_version=2\n"))
                .isInstanceOf(InvalidRepositoryException.class).hasMessageContaining("repo_version=2");
        assertThatThrownBy(() -> RepoConfig.parse(dir, "[core]\nrepo_version=1\narchive=true\n"))
                .isInstanceOf(UnknownRepoModeException.class).hasMessageContaining("legacy");
        assertThatThrownBy(() -> RepoConfig.parse(dir, "repo_version=1\n"))
                .isInstanceOf(InvalidRepositoryException.class).hasMessageContaining("line 1");
    }
}
