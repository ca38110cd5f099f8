package dev.ocitree.cli;

import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "checkout", description = "Check a commit out into a new directory (like ostree checkout -U).")
final class CheckoutCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF")
    String ref;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Override
    int run(OstreeRepository repo) {
        repo.resolveCommit(ref).flatMap(c -> repo.checkout(c, dir)).block();
        return 0;
    }
}
