package dev.ocitree.ostree.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Repositories written by the real {@code ostree} (a directory commit with a parent, and a
 * {@code commit --tree=tar=} of a pax tar with xattrs, hard links and setuid) are read by ocitree:
 * listings equal {@code ostree ls -R}, file contents equal {@code ostree cat}, our checkout equals
 * {@code ostree checkout -U}, and our fsck finds nothing wrong.
 */
class ReadInteropTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void ocitreeReadsWhatOstreeWrote(RepoMode mode) throws Exception {
        Path repo = dir.resolve("repo");
        PeerTools.runOk(dir, "ostree", "init", "--repo=" + repo,
                "--mode=" + (mode == RepoMode.ARCHIVE ? "archive" : mode.configName()));
        boolean xattrs = RandomTrees.userXattrsSupported(dir);
        Path tree = RandomTrees.generate(dir.resolve("tree"), 99, 200, xattrs);
        Path tree2 = RandomTrees.generate(dir.resolve("tree2"), 100, 60, xattrs);
        PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree, "-b", "main", "-s", "one");
        PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + tree2, "-b", "main", "-s", "two",
                "--body", "second\nline", "--add-metadata-string=version=2");
        Path tar = dir.resolve("t.tar");
        PeerTools.runOk(dir, "tar", "--xattrs", "--xattrs-include=user.*", "--format=pax", "-C", tree.toString(),
                "-cf", tar.toString(), ".");
        PeerTools.runOk(dir, "ostree", "commit", "--repo=" + repo, "--tree=tar=" + tar, "-b", "fromtar", "-s", "tar");

        try (OstreeRepository ours = OstreeRepository.open(repo)) {
            assertThat(ours.mode()).isEqualTo(mode);
            assertThat(ours.refs("").collectList().block()).containsExactly("fromtar", "main");
            for (String ref : List.of("main", "fromtar")) {
                Checksum c = ours.resolveCommit(ref).block();
                assertThat(c.hex()).isEqualTo(PeerTools.runOk(dir, "ostree", "rev-parse", "--repo=" + repo, ref).strip());
                String listing = ours.list(c, "/", true).map(TreeEntry::lsLine).collect(Collectors.joining("\n", "", "\n"))
                        .block();
                assertThat(listing).isEqualTo(PeerTools.runOk(dir, "ostree", "ls", "-R", "--repo=" + repo, ref));

                List<TreeEntry> files = ours.list(c, "/", true).filter(TreeEntry::isRegularFile).take(5).collectList()
                        .block();
                for (TreeEntry f : files) {
                    assertThat(new String(cat(ours, c, f.path()), StandardCharsets.ISO_8859_1))
                            .as("content of %s", f.path())
                            .isEqualTo(PeerTools.runOk(dir, "python3", "-c",
                                    "import subprocess,sys; sys.stdout.write(subprocess.run(['ostree','cat','--repo="
                                            + repo + "','" + ref + "',sys.argv[1]],capture_output=True,check=True)"
                                            + ".stdout.decode('latin-1'))", f.path()));
                }
                Path mine = dir.resolve("co-ours-" + ref);
                Path theirs = dir.resolve("co-theirs-" + ref);
                ours.checkout(c, mine).block();
                PeerTools.runOk(dir, "ostree", "checkout", "-U", "--repo=" + repo, ref, theirs.toString());
                assertThat(TreeListing.of(mine)).isEqualTo(TreeListing.of(theirs));
            }
            Commit head = ours.loadCommit(ours.resolveCommit("main").block()).block();
            assertThat(head.subject()).isEqualTo("two");
            assertThat(head.body()).isEqualTo("second\nline");
            assertThat(head.parent()).isEqualTo(ours.resolveRef("main^").block());
            FsckReport report = ours.fsck().block();
            assertThat(report.corrupt()).isEmpty();
            assertThat(report.missing()).isEmpty();
            assertThat(report.commitsChecked()).isEqualTo(3);
            assertThat(report.objectsChecked()).isEqualTo(Files.walk(repo.resolve("objects"))
                    .filter(Files::isRegularFile).count() + Files.walk(repo.resolve("objects"))
                    .filter(Files::isSymbolicLink).count());
        }
    }

    static byte[] cat(OstreeRepository repo, Checksum commit, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        repo.readFile(commit, path).doOnNext(b -> {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
        }).doOnNext(ByteBuf::release).blockLast();
        return out.toByteArray();
    }
}
