package dev.ocitree.cli;

import dev.ocitree.oci.InvalidSourceException;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.registry.OciRemotes;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ocitree remote}: named OCI registries, kept in the repository config as ostree keeps remotes. */
@Command(name = "remote", description = {
        "Manage named OCI remotes (registries in the repository config).",
        "They are kept as [remote \"NAME\"] groups with url=oci+https://HOST[/NAMESPACE] (flatpak's",
        "spelling), so ostree remote list shows them too.",
        "Pull from one with: ocitree pull NAME IMAGE[:TAG]."},
        subcommands = {CommandLine.HelpCommand.class, RemoteCommand.Add.class, RemoteCommand.ListRemotes.class, RemoteCommand.Delete.class})
final class RemoteCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Base of the remote subcommands: opens the repository ({@code --repo}), then edits its config. */
    abstract static class Sub extends RepoCommand {

        @Override
        final int run(OstreeRepository repo) {
            return run(new OciRemotes(repo.path()));
        }

        abstract int run(OciRemotes remotes);
    }

    @Command(name = "add", description = {
            "Add an OCI remote.",
            "URL is [oci+]https://HOST[:PORT][/NAMESPACE],",
            "[oci+]http://... for a plain-HTTP registry, or docker://HOST[/NAMESPACE].",
            "ocitree pull NAME IMAGE then pulls NAMESPACE/IMAGE from HOST."})
    static final class Add extends Sub {
        @Option(names = "--oci", required = true,
                description = "The remote is an OCI registry (required: OSTree remotes are added with ostree remote add).")
        boolean oci;

        @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '.', '_', '-'.")
        String name;

        @Parameters(index = "1", paramLabel = "URL", description = "The registry and optional namespace.")
        String url;

        @Override
        int run(OciRemotes remotes) {
            OciRemotes.Remote added = remotes.add(name, url);
            spec.commandLine().getOut().println("added OCI remote " + added.name() + " " + added.url());
            return 0;
        }
    }

    @Command(name = "list", description = "List the OCI remotes: NAME and URL, one per line.")
    static final class ListRemotes extends Sub {
        @Override
        int run(OciRemotes remotes) {
            for (Map.Entry<String, OciRemotes.Remote> e : remotes.list().entrySet()) {
                spec.commandLine().getOut().println(e.getKey() + "\t" + e.getValue().url());
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an OCI remote (the images pulled through it stay).")
    static final class Delete extends Sub {
        @Parameters(index = "0", paramLabel = "NAME", description = "The remote to delete.")
        String name;

        @Override
        int run(OciRemotes remotes) {
            if (!remotes.delete(name)) {
                throw new InvalidSourceException("no remote '" + name + "' in " + repoPath());
            }
            spec.commandLine().getOut().println("deleted OCI remote " + name);
            return 0;
        }
    }
}
