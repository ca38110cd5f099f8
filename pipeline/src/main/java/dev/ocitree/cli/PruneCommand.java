package dev.ocitree.cli;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "prune", description = {"Delete unused layers and objects and leftover staging areas.",
        "Layer commits no imported image uses go first, then every object no ref reaches (like",
        "ostree prune --refs-only), and the staging areas of killed imports. Waits for running imports."})
final class PruneCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        if (RepoLockProbe.heldByAnotherProcess(repo.path())) {
            err().println("waiting for the repository lock: another process (an import, ostree) holds "
                    + CliText.escape(repo.path().resolve(".lock").toString()) + " (up to core.lock-timeout-secs, 30 s)");
            err().flush();
        }
        ImageStore.PruneResult r = new ImageStore(repo).prune().block();
        r.layerRefsRemoved().forEach(ref -> out().println("removed " + CliText.escape(ref)));
        out().println("removed " + CliText.count(r.layerRefsRemoved().size(), "layer ref") + "; deleted "
                + r.objects().objectsDeleted() + " of " + CliText.count(r.objects().objectsTotal(), "object")
                + ", freed " + ByteSizes.format(r.objects().bytesFreed()) + "; removed "
                + CliText.count(r.stagingAreasRemoved(), "staging area") + ", freed "
                + ByteSizes.format(r.stagingBytesFreed()));
        return 0;
    }
}
