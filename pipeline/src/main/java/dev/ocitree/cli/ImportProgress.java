package dev.ocitree.cli;

import dev.ocitree.imports.ImportEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Import progress on stderr: on a terminal one redrawn bar per layer, otherwise one line per
 * finished layer. Skipped entries are always reported.
 */
final class ImportProgress implements Consumer<ImportEvent> {

    private final PrintWriter err;
    private final boolean tty;
    private final Map<Integer, String> lines = new TreeMap<>();
    private int drawn;

    ImportProgress(PrintWriter err, boolean tty) {
        this.err = err;
        this.tty = tty;
    }

    @Override
    public void accept(ImportEvent event) {
        if (event instanceof ImportEvent.LayerStarted e) {
            update(e.index(), bar(e.digest(), 0, e.size()));
        } else if (event instanceof ImportEvent.LayerProgress e) {
            update(e.index(), bar(e.digest(), e.bytesRead(), e.size()));
        } else if (event instanceof ImportEvent.LayerDone e) {
            String line = "layer " + shortDigest(e.layer().digest()) + (e.layer().reused() ? "  already imported"
                    : "  done (" + ImportCommand.Json.bytes(e.layer().bytesRead()) + ")");
            if (tty) {
                update(e.index(), line);
            } else {
                err.println(line);
            }
        } else if (event instanceof ImportEvent.Skipped e) {
            err.println("skipped " + e.what() + " in layer " + shortDigest(e.layer())
                    + ": OSTree cannot hold device nodes, FIFOs or sockets");
        }
        err.flush();
    }

    private void update(int index, String line) {
        if (!tty) {
            return;
        }
        lines.put(index, line);
        if (drawn > 0) {
            err.print("\033[" + drawn + "A");
        }
        for (String l : lines.values()) {
            err.print("\r\033[2K" + l + "\n");
        }
        drawn = lines.size();
    }

    private static String bar(String digest, long done, long size) {
        int width = 30;
        int filled = size <= 0 ? width : (int) Math.min(width, done * width / size);
        return String.format(Locale.ROOT, "layer %s [%s%s] %s / %s", shortDigest(digest), "#".repeat(filled),
                " ".repeat(width - filled), ImportCommand.Json.bytes(done), ImportCommand.Json.bytes(size));
    }

    private static String shortDigest(String digest) {
        return digest.substring(0, Math.min(digest.length(), 19));
    }
}
