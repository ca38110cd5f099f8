package dev.ocitree.cli;

import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Base of the subcommands that work on {@code --repo}: opens it, runs, closes it. */
abstract class RepoCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    OcitreeCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Path repoPath() {
        if (parent.repo == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no repository: pass --repo=PATH (before the command) or set OSTREE_REPO");
        }
        return parent.repo;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() throws Exception {
        Path path = repoPath();
        try (OstreeRepository repo = open(path)) {
            int code = run(repo);
            out().flush();
            return code;
        }
    }

    /** Opens the repository; {@code init} creates it instead. */
    OstreeRepository open(Path path) {
        return OstreeRepository.open(path);
    }

    abstract int run(OstreeRepository repo) throws Exception;
}
