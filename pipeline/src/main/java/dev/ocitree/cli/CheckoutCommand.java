package dev.ocitree.cli;

import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "checkout", description = {"Check a commit out into a new directory (like ostree checkout -U).",
        "DIR must not exist; its parent must. Modes as ostree -U gives them (owner-readable, no setuid),",
        "no ownership or xattrs; only bare-user-only objects are hard-linked, others are copied."})
final class CheckoutCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF", description = "A ref, a commit checksum, either with ^ for a parent.")
    String ref;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory to create.")
    Path dir;

    @Override
    int run(OstreeRepository repo) {
        repo.checkout(commit(repo, ref), dir).block();
        return 0;
    }
}
