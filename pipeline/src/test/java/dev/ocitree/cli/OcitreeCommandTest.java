package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OcitreeCommandTest {

    private static String run(String... args) {
        CommandLine cli = OcitreeCommand.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        assertThat(code).as("exit code of ocitree %s", String.join(" ", args)).isZero();
        return out.toString();
    }

    @Test
    void helpListsUsage() {
        assertThat(run("--help")).contains("Usage: ocitree").contains("--version");
    }

    @Test
    void versionNamesProjectVersion() {
        assertThat(run("--version")).startsWith("ocitree ").doesNotContain("${project.version}").doesNotContain("unknown");
    }
}
