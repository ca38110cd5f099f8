package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.PeerTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefStoreTest {

    @TempDir
    Path dir;
    Path repo;
    String commit;
    RefStore refs;

    @BeforeEach
    void realRepoWithOneCommit() throws Exception {
        repo = dir.resolve("repo");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + repo, "--mode=archive");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("f"), "x");
        commit = PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree, "-b", "main",
                "-s", "s").strip();
        refs = new RefStore(repo, new AtomicFiles(repo, true));
    }

    @Test
    void refsWrittenByOcitreeAreReadByOstree() throws Exception {
        refs.write(RefNames.parse(repo, "app/x86_64/stable"), commit);
        refs.write(RefNames.parse(repo, "origin:os/main"), commit);
        assertThat(Files.readAllBytes(repo.resolve("refs/heads/app/x86_64/stable")))
                .isEqualTo((commit + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(PeerTools.runOk(dir, "ostree", "rev-parse", "--repo=" + repo, "app/x86_64/stable").strip())
                .isEqualTo(commit);
        assertThat(PeerTools.runOk(dir, "ostree", "refs", "--repo=" + repo).lines().sorted().toList())
                .containsExactly("app/x86_64/stable", "main", "origin:os/main");
        assertThat(refs.list()).containsExactly("app/x86_64/stable", "main", "origin:os/main");
        assertThat(Files.list(repo.resolve("tmp")).filter(p -> p.getFileName().toString().startsWith("ocitree")))
                .isEmpty();
    }

    @Test
    void refsWrittenByOstreeAreResolved() throws Exception {
        PeerTools.runOk(dir, "ostree", "refs", "--repo=" + repo, "--create=origin:remote/branch", commit);
        assertThat(refs.resolve("main")).isEqualTo(commit);
        assertThat(refs.resolve("origin:remote/branch")).isEqualTo(commit);
        assertThat(refs.resolve("origin/remote/branch")).isEqualTo(commit);
        assertThat(refs.resolve("absent")).isNull();
        assertThat(refs.delete(RefNames.parse(repo, "main"))).isTrue();
        assertThat(PeerTools.runOk(dir, "ostree", "refs", "--repo=" + repo).strip()).isEqualTo("origin:remote/branch");
    }

    @Test
    void refNamesAreValidatedLikeOstree() {
        for (String name : List.of("ok", "a/b/c", "a.b-c_d", "_lead", "9num", "a..b", "UPPER", "é",
                "-lead", ".lead", "a//b", "a/", "/a", "a/.b", "a/-b", "a b", "a~b")) {
            boolean ostreeAccepts = PeerTools.run(dir, "ostree", "refs", "--repo=" + repo, "--create=" + name, commit)
                    .exitCode() == 0;
            boolean weAccept;
            try {
                RefNames.parse(repo, name);
                weAccept = true;
            } catch (InvalidRefException e) {
                weAccept = false;
                assertThat(e).hasMessageContaining(name);
            }
            assertThat(weAccept).as("ref name '%s'", name).isEqualTo(ostreeAccepts);
        }
    }

    @Test
    void refFileWithGarbageIsATypedErrorNamingTheRef() throws Exception {
        Files.writeString(repo.resolve("refs/heads/bad"), "NOT-A-CHECKSUM\n");
        assertThatThrownBy(() -> refs.resolve("bad")).isInstanceOf(InvalidRefException.class)
                .hasMessageContaining("'bad'").hasMessageContaining("NOT-A-CHECKSUM");
    }
}
