package dev.ocitree.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "prune", description = {"Delete unused layers and objects and leftover staging areas.",
        "Layer commits no imported image uses go first, then every object no ref reaches (like",
        "ostree prune --refs-only), and the staging areas of killed imports. Waits for running imports.",
        "With --json, one object: the refs removed, objects and bytes freed, staging areas removed."})
final class PruneCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        if (RepoLockProbe.blocks(repo.path(), true)) {
            err().println(RepoLockProbe.waitingMessage(repo.path()));
            err().flush();
        }
        ImageStore.PruneResult r = new ImageStore(repo).prune().block();
        if (json()) {
            ObjectNode n = JsonEvents.MAPPER.createObjectNode();
            r.layerRefsRemoved().forEach(n.withArray("layerRefsRemoved")::add);
            r.unreadableImages().forEach(n.withArray("unreadableImages")::add);
            n.put("objectsTotal", r.objects().objectsTotal()).put("objectsDeleted", r.objects().objectsDeleted())
                    .put("bytesFreed", r.objects().bytesFreed())
                    .put("stagingAreasRemoved", r.objects().stagingAreasRemoved())
                    .put("stagingBytesFreed", r.objects().stagingBytesFreed());
            out().println(n);
            return 0;
        }
        r.layerRefsRemoved().forEach(ref -> out().println("removed " + CliText.escape(ref)));
        r.unreadableImages().forEach(ref -> out().println("kept every layer: cannot read the layers of "
                + CliText.escape(ref)));
        out().println("removed " + CliText.count(r.layerRefsRemoved().size(), "layer ref") + "; deleted "
                + r.objects().objectsDeleted() + " of " + CliText.count(r.objects().objectsTotal(), "object")
                + ", freed " + ByteSizes.format(r.objects().bytesFreed()) + "; removed "
                + CliText.count(r.objects().stagingAreasRemoved(), "staging area") + ", freed "
                + ByteSizes.format(r.objects().stagingBytesFreed()));
        return 0;
    }
}
