package dev.ocitree.cli;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "prune", description = {"Delete layer commits no imported image uses, then every object no ref",
        "reaches any more (so the objects only those layers held go too)."})
final class PruneCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        ImageStore.PruneResult r = new ImageStore(repo).prune().block();
        r.layerRefsRemoved().forEach(ref -> out().println("removed " + ref));
        r.unreadableImages().forEach(ref -> out().println("kept every layer: cannot read the layers of " + ref));
        out().println("removed " + r.layerRefsRemoved().size() + " layer refs; deleted " + r.objects().objectsDeleted()
                + " of " + r.objects().objectsTotal() + " objects and " + r.objects().stagingAreasRemoved()
                + " stale staging areas, freed " + ImportCommand.Json.bytes(r.objects().totalBytesFreed()));
        return 0;
    }
}
