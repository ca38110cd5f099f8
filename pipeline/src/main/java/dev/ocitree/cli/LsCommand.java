package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = {"List a commit's tree (like ostree ls).",
        "Each line: type and mode, uid, gid, size, path (and a symlink's target)."})
final class LsCommand extends RepoCommand {

    @Option(names = {"-R", "--recursive"}, description = "Recurse into directories.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "REF", description = "A ref, a commit checksum, either with ^ for a parent.")
    String ref;

    @Parameters(index = "1..*", paramLabel = "PATH", description = "Paths in the commit (default /).")
    List<String> paths = List.of("/");

    @Override
    int run(OstreeRepository repo) {
        Checksum commit = commit(repo, ref);
        for (String p : paths) {
            repo.list(commit, p, recursive).doOnNext(e -> out().println(e.lsLine())).blockLast();
        }
        return 0;
    }
}
