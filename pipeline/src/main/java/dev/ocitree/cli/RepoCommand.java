package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Base of the subcommands that work on {@code --repo}: opens it, runs, closes it. The global
 * options live on {@link OcitreeCommand} (inherited, so they may follow the command); read them
 * through {@link #repoPath()}, {@link #json()} and {@link #err()}.
 */
abstract class RepoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The root command, holder of the global options, wherever this command sits in the tree. */
    OcitreeCommand global() {
        return (OcitreeCommand) spec.root().userObject();
    }

    /** {@code --repo}, else {@code $OSTREE_REPO}; a usage error when neither names a path. */
    Path repoPath() {
        Path repo = global().repo;
        if (repo == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no repository: pass --repo=PATH (before or after the command) or set OSTREE_REPO");
        }
        if (repo.toString().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "empty repository path: --repo= (or OSTREE_REPO) must name a directory");
        }
        return repo;
    }

    /** Whether {@code --json} was given. */
    boolean json() {
        return global().json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() throws Exception {
        Path path = repoPath();
        try (OstreeRepository repo = open(path)) {
            int code = run(repo);
            out().flush();
            err().flush();
            return code;
        }
    }

    /**
     * The commit {@code rev} names: a ref or checksum, each trailing {@code ^} one parent up; a
     * root commit's {@code ^} is an error that says so (not "ref not found").
     */
    static Checksum commit(OstreeRepository repo, String rev) {
        int end = rev.length();
        while (end > 0 && rev.charAt(end - 1) == '^') {
            end--;
        }
        Checksum c = repo.resolveCommit(rev.substring(0, end)).block();
        for (int up = end; up < rev.length(); up++) {
            Checksum parent = repo.loadCommit(c).block().parent();
            if (parent == null) {
                throw new CommandFailedException("cannot resolve " + CliText.escape(rev) + ": commit " + c.hex()
                        + " (" + CliText.escape(rev.substring(0, up)) + ") has no parent");
            }
            if (!repo.has(ObjectType.COMMIT, parent).block()) {
                throw new CommandFailedException("cannot resolve " + CliText.escape(rev) + ": the parent " + parent.hex()
                        + " of " + c.hex() + " is not in the repository");
            }
            c = parent;
        }
        return c;
    }

    /** Opens the repository; {@code init} creates it instead. */
    OstreeRepository open(Path path) {
        return OstreeRepository.open(path);
    }

    abstract int run(OstreeRepository repo) throws Exception;
}
