package dev.ocitree.cli;

import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "refs", description = {"List refs, or delete one (like ostree refs).",
        "Local refs print as NAME, remote ones as REMOTE:NAME."})
final class RefsCommand extends RepoCommand {

    @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "Only refs starting with PREFIX; with --delete, the ref.")
    String prefix = "";

    @Option(names = "--delete", description = "Delete the ref PREFIX names.")
    boolean delete;

    @Override
    int run(OstreeRepository repo) {
        if (delete) {
            repo.deleteRef(prefix).block();
            return 0;
        }
        repo.refs(prefix).doOnNext(out()::println).blockLast();
        return 0;
    }
}
