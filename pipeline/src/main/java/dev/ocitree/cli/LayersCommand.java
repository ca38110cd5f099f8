package dev.ocitree.cli;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "layers", description = {"List layer commits: digest, commit, how many images use it.",
        "With --json, one object per layer: digest, ref, commit, images."})
final class LayersCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        List<ImageStore.LayerInfo> layers = new ImageStore(repo).layers().collectList().block();
        if (json()) {
            layers.forEach(l -> out().println(JsonEvents.layer(l)));
            return 0;
        }
        Table table = new Table("DIGEST", "COMMIT", "IMAGES");
        layers.forEach(l -> table.row(CliText.escape(l.digest()), l.commit().hex().substring(0, 12),
                Integer.toString(l.usedBy())));
        table.print(out());
        return 0;
    }
}
