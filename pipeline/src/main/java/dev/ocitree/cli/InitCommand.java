package dev.ocitree.cli;

import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Create a repository at --repo (like ostree init).")
final class InitCommand extends RepoCommand {

    @Option(names = "--mode", required = true, paramLabel = "MODE",
            description = "archive (= archive-z2), bare-user or bare-user-only.")
    String mode;

    @Override
    OstreeRepository open(Path path) {
        return OstreeRepository.init(path, RepoMode.fromConfigName(mode));
    }

    @Override
    int run(OstreeRepository repo) {
        return 0;
    }
}
