package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.imports.ImportEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress lines without a terminal: start, each quarter once, done; no escape codes. */
class ImportProgressTest {

    @Test
    void aLayerReadInOneGoHasNoQuarterLines() {
        StringWriter err = new StringWriter();
        ImportProgress progress = new ImportProgress(new PrintWriter(err), false);
        String digest = "sha256:" + "cd".repeat(32);
        progress.accept(new ImportEvent.LayerStarted(1, digest, 250));
        progress.accept(new ImportEvent.LayerProgress(1, digest, 250, 250));
        assertThat(err.toString().lines().toList()).containsExactly("layer 2 sha256:cdcdcdcdcdcd  reading 250 B");
    }

    @Test
    void aLongLayerOnAPipeReportsEachQuarterOnce() {
        StringWriter err = new StringWriter();
        ImportProgress progress = new ImportProgress(new PrintWriter(err), false);
        String digest = "sha256:" + "ab".repeat(32);
        progress.accept(new ImportEvent.LayerStarted(0, digest, 1000));
        for (long read = 100; read <= 1000; read += 100) {
            progress.accept(new ImportEvent.LayerProgress(0, digest, read, 1000));
        }
        assertThat(err.toString().lines().toList()).containsExactly(
                "layer 1 sha256:abababababab  reading 1000 B",
                "layer 1 sha256:abababababab  25% (300 B of 1000 B)",
                "layer 1 sha256:abababababab  50% (500 B of 1000 B)",
                "layer 1 sha256:abababababab  75% (800 B of 1000 B)");
    }
}
