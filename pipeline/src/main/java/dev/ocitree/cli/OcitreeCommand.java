package dev.ocitree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import reactor.util.Loggers;

/**
 * The {@code ocitree} command line: the entry point of {@code ./ocitree} and of the CLI jar.
 *
 * <p>Global options ({@code --repo}, {@code -v}, {@code --json}) and {@code -h}/{@code --help} are
 * inherited by every subcommand, so they go before or after the command, as with ostree. Exit
 * codes: 0 success, 1 failure, 2 usage error; every error is one line {@code error: ...} on stderr
 * (and, with {@code --json}, an {@code Error} event on stdout).
 */
@Command(name = "ocitree",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = OcitreeCommand.Version.class,
        description = "Moves container images from OCI registries, layouts and archives into OSTree repositories.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  failure (error: ... on stderr)", "  2  usage error (bad or missing arguments)",
            "  3  out of memory or another JVM error (raise OCITREE_HEAP)"},
        subcommands = {CommandLine.HelpCommand.class, InitCommand.class, RefsCommand.class, LogCommand.class,
            LsCommand.class, CatCommand.class, CheckoutCommand.class, CommitCommand.class, FsckCommand.class,
            ImportCommand.class, PullCommand.class, RemoteCommand.class, ImagesCommand.class, LayersCommand.class,
            PruneCommand.class, ExportCommand.class})
public final class OcitreeCommand implements Callable<Integer> {

    /** Reactor's loggers (java.util.logging, see {@link #main}); held so its level stays set. */
    private static final Logger REACTOR_LOG = Logger.getLogger("reactor");

    /** Exit code of a failure. */
    static final int FAILURE = 1;
    /** Exit code of a usage error (picocli's {@code ExitCode.USAGE}). */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repo", paramLabel = "PATH", defaultValue = "${env:OSTREE_REPO}", scope = ScopeType.INHERIT,
            description = "The OSTree repository (default: $OSTREE_REPO), before or after the command.")
    Path repo;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean verbose;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "JSON lines: import events, images/layers/prune results, errors.")
    boolean json;

    /** Without a command: the usage on stderr, exit 2 (as ostree does). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Builds the configured command line (shared by {@link #main} and tests). */
    public static CommandLine commandLine() {
        OcitreeCommand root = new OcitreeCommand();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            VirtualMachineError fatal = FatalErrorExit.find(ex);
            int exit = fatal == null ? FAILURE : FatalErrorExit.EXIT_CODE;
            fail(root, cmd, fatal == null ? CliErrors.message(ex)
                    : FatalErrorExit.message(fatal, "in " + cmd.getCommandSpec().qualifiedName()), exit);
            if (root.verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return exit;
        });
        cli.setExecutionStrategy(parsed -> {
            // Reactor's warnings (a JVM error on a worker, an error dropped after cancel) carry stack
            // traces: shown with -v, otherwise the command's one error: line says what happened
            REACTOR_LOG.setLevel(root.verbose ? Level.WARNING : Level.OFF);
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            fail(root, cmd, CliErrors.message(ex), USAGE);
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            if (root.verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return USAGE;
        });
        return cli;
    }

    /** Prints {@code error: <message>} on stderr and, with {@code --json}, the {@code Error} event on stdout. */
    private static void fail(OcitreeCommand root, CommandLine cmd, String message, int exit) {
        if (root.json) {
            PrintWriter out = cmd.getOut();
            out.println(JsonEvents.error(message, exit));
            out.flush();
        }
        cmd.getErr().println("error: " + message);
    }

    public static void main(String[] args) {
        Loggers.useJdkLoggers();
        FatalErrorExit.install(System.err);
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
