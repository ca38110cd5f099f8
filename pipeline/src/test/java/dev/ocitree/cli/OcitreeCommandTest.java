package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OcitreeCommandTest {

    @Test
    void helpListsUsage() {
        assertThat(Cli.ok("--help")).contains("Usage: ocitree").contains("--version");
    }

    @Test
    void versionNamesProjectVersion() {
        assertThat(Cli.ok("--version")).startsWith("ocitree ").doesNotContain("${project.version}").doesNotContain("unknown");
    }
}
