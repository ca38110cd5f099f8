package dev.ocitree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ocitree} command line: the entry point of {@code ./ocitree} and of the CLI jar. */
@Command(name = "ocitree",
        mixinStandardHelpOptions = true,
        versionProvider = OcitreeCommand.Version.class,
        description = "Moves container images between OCI (layouts, archives, registries) and OSTree repositories.",
        subcommands = {CommandLine.HelpCommand.class, InitCommand.class, RefsCommand.class, LogCommand.class,
            LsCommand.class, CatCommand.class, CheckoutCommand.class, CommitCommand.class, FsckCommand.class, ImportCommand.class, ImagesCommand.class,
            LayersCommand.class, PruneCommand.class,
            ExportCommand.class})
public final class OcitreeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--repo", paramLabel = "PATH", defaultValue = "${env:OSTREE_REPO}",
            description = "The OSTree repository (default: $OSTREE_REPO).")
    java.nio.file.Path repo;

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line (shared by {@link #main} and tests). */
    public static CommandLine commandLine() {
        OcitreeCommand root = new OcitreeCommand();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + CliErrors.message(ex));
            if (root.verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = OcitreeCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"ocitree " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
