package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every command answers --help and -h with complete, true text; ocitree alone is a usage error. */
class CliHelpTest {

    /** Every command path under the root, e.g. ["images", "rm"]. */
    private static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        walk(OcitreeCommand.commandLine(), new ArrayList<>(), all);
        return all;
    }

    private static void walk(CommandLine cmd, List<String> path, List<List<String>> all) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                all.add(p);
                walk(sub, p, all);
            }
        });
    }

    @Test
    void everyCommandAnswersHelpAndHWithACompleteDescription() {
        List<List<String>> commands = commands();
        assertThat(commands).extracting(c -> String.join(" ", c)).contains("init", "import", "images rm", "prune",
                "checkout", "cat", "layers");
        for (List<String> command : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                Cli.Run r = Cli.run(args.toArray(String[]::new));
                assertThat(r.exit()).as("%s", args).isZero();
                assertThat(r.out()).as("%s", args).startsWith("Usage: ocitree " + String.join(" ", command))
                        .contains("--repo=PATH", "--json", "-v, --verbose", "Exit codes:");
                assertThat(r.err()).as("%s", args).isEmpty();
            }
            List<String> viaHelp = new ArrayList<>(List.of("help"));
            viaHelp.add(command.get(0));
            assertThat(Cli.run(viaHelp.toArray(String[]::new)).exit()).as("%s", viaHelp).isZero();
        }
    }

    @Test
    void summariesAreWholeSentencesAndEveryOptionAndParameterIsDescribed() {
        CommandLine root = OcitreeCommand.commandLine();
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(root.getCommandSpec());
        for (List<String> command : commands()) {
            CommandLine c = root;
            for (String name : command) {
                c = c.getSubcommands().get(name);
            }
            specs.add(c.getCommandSpec());
        }
        String usage = Cli.ok("--help");
        for (CommandSpec spec : specs) {
            String[] description = spec.usageMessage().description();
            assertThat(description).as(spec.qualifiedName()).isNotEmpty();
            String summary = description[0];
            assertThat(summary).as("summary of %s", spec.qualifiedName()).endsWith(".").doesNotEndWith("..")
                    .hasSizeLessThanOrEqualTo(100);
            if (spec.parent() == root.getCommandSpec()) {
                // the command list shows the first line of the description: the whole summary
                assertThat(usage).as("summary of %s in the command list", spec.name()).contains(summary);
            }
            for (String line : description) {
                assertThat(line).as("description of %s", spec.qualifiedName()).doesNotContain("shared/", "REGISTRY.md",
                        "OSTREE-FORMAT");
            }
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec arg : args) {
                String what = spec.qualifiedName() + " " + (arg.isOption()
                        ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel());
                assertThat(arg.description()).as(what).isNotEmpty();
                assertThat(String.join(" ", arg.description()).strip()).as(what).isNotEmpty().endsWith(".");
            }
        }
    }

    @Test
    void helpPromisesOnlyCommandsThatExist() {
        String usage = Cli.ok("--help");
        CommandLine root = OcitreeCommand.commandLine();
        if (!root.getSubcommands().containsKey("pull")) {
            assertThat(usage.toLowerCase(java.util.Locale.ROOT)).doesNotContain("registr").doesNotContain("docker://");
        }
        if (!root.getSubcommands().containsKey("export")) {
            assertThat(usage.toLowerCase(java.util.Locale.ROOT)).doesNotContain("export");
        }
    }

    @Test
    void noCommandPrintsUsageOnStderrAndExitsTwo() {
        Cli.Run r = Cli.run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: ocitree").contains("Commands:");
        assertThat(r.out()).isEmpty();
    }
}
