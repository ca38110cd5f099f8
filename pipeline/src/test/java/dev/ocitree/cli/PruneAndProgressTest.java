package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.testimages.HelloOciExample;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress without a terminal, JSON listings, aligned tables, and a prune that says what it did and why it waits. */
class PruneAndProgressTest {

    @TempDir
    Path tmp;

    private static final String EXAMPLE = "oci:" + HelloOciExample.committedLayout() + ":latest";

    @Test
    void importWithoutATerminalPrintsALinePerLayerAndJsonEvents() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Cli.Run plain = Cli.run(repo, "import", EXAMPLE);
        assertThat(plain.exit()).isZero();
        List<String> err = plain.err().lines().toList();
        assertThat(err).doesNotContain("\u001b");
        assertThat(err.stream().filter(l -> l.matches("layer [12]/2 sha256:[0-9a-f]{12}  reading .*"))).hasSize(2);
        assertThat(err.stream().filter(l -> l.matches("layer [12]/2 sha256:[0-9a-f]{12}  done \\(.*\\)"))).hasSize(2);
        assertThat(plain.out()).contains("2 layers (0 already in the repository)");

        Cli.Run json = Cli.run(repo, "import", EXAMPLE, "--json");
        List<String> events = new ArrayList<>();
        for (String line : json.out().lines().toList()) {
            events.add(new ObjectMapper().readTree(line).get("event").asText());
        }
        assertThat(events).startsWith("Resolved").endsWith("Merged", "Done");
        assertThat(events.stream().filter("LayerDone"::equals)).hasSize(2);
        assertThat(json.err()).isEmpty();

        List<JsonNode> layers = new ArrayList<>();
        for (String line : Cli.ok(repo, "layers", "--json").lines().toList()) {
            layers.add(new ObjectMapper().readTree(line));
        }
        assertThat(layers).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("digest").asText()).startsWith("sha256:");
            assertThat(l.get("images").asInt()).isEqualTo(1);
            assertThat(l.get("commit").asText()).hasSize(64);
        });
    }

    @Test
    void tablesStayAlignedWithLongNames() throws Exception {
        String repo = "--repo=" + tmp.resolve("repo");
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Path deep = tmp.resolve("a-rather-long-directory-name/that-goes-on/and-on/hello-oci");
        PeerTools.runOk(tmp, "cp", "-r", HelloOciExample.committedLayout().toString(), Files.createDirectories(deep.getParent()).toString());
        Cli.ok(repo, "import", EXAMPLE);
        Cli.ok(repo, "import", "oci:" + deep + ":latest");
        List<String> lines = Cli.ok(repo, "images").lines().toList();
        assertThat(lines).hasSize(3);
        int column = lines.get(0).indexOf("MANIFEST");
        for (String row : lines.subList(1, 3)) {
            assertThat(row.indexOf("sha256:")).as(row).isEqualTo(column);
        }
    }

    @Test
    void pruneReportsStagingLeftByAKilledImportAndSaysWhenItWaitsForTheLock() throws Exception {
        Path repoPath = tmp.resolve("repo");
        String repo = "--repo=" + repoPath;
        Cli.ok(repo, "init", "--mode=bare-user-only");
        Path leftover = Files.createDirectories(repoPath.resolve("tmp/ocitree-staging-killed/ab"));
        Files.write(leftover.resolve("object"), new byte[300_000]);

        // another process holds the repository lock shared, as an import (or ostree's transaction) does
        Path ready = tmp.resolve("ready");
        Process holder = new ProcessBuilder(PeerTools.require("python3").toString(), "-c",
                "import fcntl, sys, time\n"
                        + "f = open(sys.argv[1], 'a+')\n"
                        + "fcntl.lockf(f, fcntl.LOCK_SH)\n"
                        + "open(sys.argv[2], 'w').close()\n"
                        + "time.sleep(2)\n",
                repoPath.resolve(".lock").toString(), ready.toString()).inheritIO().start();
        try {
            for (int i = 0; i < 100 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertThat(ready).exists();
            Cli.Run prune = Cli.run(repo, "prune");
            assertThat(prune.exit()).as(prune.err()).isZero();
            assertThat(prune.err()).startsWith("waiting for the repository lock");
            assertThat(prune.out()).contains("removed 0 layer refs", "removed 1 staging area, freed 293.0 KiB");
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroy();
        }
        assertThat(Files.exists(repoPath.resolve("tmp/ocitree-staging-killed"))).isFalse();
        Cli.Run again = Cli.run(repo, "prune");
        assertThat(again.err()).isEmpty();
        assertThat(again.out()).contains("removed 0 staging areas, freed 0 B");
        Files.createDirectories(repoPath.resolve("tmp/ocitree-staging-other"));
        JsonNode json = new ObjectMapper().readTree(Cli.ok(repo, "prune", "--json"));
        assertThat(json.get("stagingAreasRemoved").asInt()).isEqualTo(1);
        assertThat(json.get("layerRefsRemoved")).isEmpty();
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repoPath).exitCode()).isZero();
    }
}
