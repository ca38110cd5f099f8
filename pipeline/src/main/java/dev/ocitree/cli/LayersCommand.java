package dev.ocitree.cli;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "layers", description = "List layer commits: digest, commit, how many images use it.")
final class LayersCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        out().printf("%-71s %-12s %s%n", "DIGEST", "COMMIT", "IMAGES");
        new ImageStore(repo).layers().doOnNext(l -> out().printf("%-71s %-12s %d%n", l.digest(),
                l.commit().hex().substring(0, 12), l.usedBy())).blockLast();
        return 0;
    }
}
