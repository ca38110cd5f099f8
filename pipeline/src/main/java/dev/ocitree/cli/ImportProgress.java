package dev.ocitree.cli;

import dev.ocitree.imports.ImportEvent;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Import progress on stderr: on a terminal one redrawn bar per layer; otherwise (a pipe, a log, CI)
 * plain lines, when a layer starts, at 25, 50 and 75 % of its blob, and when it is done, so a long
 * import is never silent.
 * Skipped entries are always reported, their names escaped.
 */
final class ImportProgress implements Consumer<ImportEvent> {

    private final PrintWriter err;
    private final boolean tty;
    private final Map<Integer, String> lines = new TreeMap<>();
    /** Without a terminal: the last quarter (25 %, 50 %, 75 %) reported per layer. */
    private final Map<Integer, Integer> quarters = new HashMap<>();
    private int drawn;
    private int layers;

    ImportProgress(PrintWriter err, boolean tty) {
        this.err = err;
        this.tty = tty;
    }

    @Override
    public void accept(ImportEvent event) {
        if (event instanceof ImportEvent.Resolved e) {
            layers = e.image().layers().size();
            err.println("importing " + CliText.escape(e.image().source()) + ": " + e.image().manifestDigest() + ", "
                    + CliText.count(layers, "layer"));
        } else if (event instanceof ImportEvent.LayerStarted e) {
            if (tty) {
                update(e.index(), bar(e.digest(), 0, e.size()));
            } else {
                err.println(prefix(e.index(), e.digest()) + "reading " + ByteSizes.format(e.size()));
            }
        } else if (event instanceof ImportEvent.LayerProgress e) {
            if (tty) {
                update(e.index(), bar(e.digest(), e.bytesRead(), e.size()));
            } else if (e.size() > 0 && e.bytesRead() < e.size()) {
                int quarter = (int) Math.min(3, e.bytesRead() * 4 / e.size());
                if (quarter > quarters.getOrDefault(e.index(), 0)) {
                    quarters.put(e.index(), quarter);
                    err.println(prefix(e.index(), e.digest()) + quarter * 25 + "% (" + ByteSizes.format(e.bytesRead())
                            + " of " + ByteSizes.format(e.size()) + ")");
                }
            }
        } else if (event instanceof ImportEvent.LayerDone e) {
            String line = prefix(e.index(), e.layer().digest()) + (e.layer().reused() ? "already imported"
                    : "done (" + ByteSizes.format(e.layer().bytesRead()) + ")");
            if (tty) {
                update(e.index(), line);
            } else {
                err.println(line);
            }
        } else if (event instanceof ImportEvent.Skipped e) {
            err.println("skipped " + CliText.escape(e.what()) + " in layer " + shortDigest(e.layer())
                    + ": OSTree cannot hold device nodes, FIFOs or sockets");
        }
        err.flush();
    }

    private String prefix(int index, String digest) {
        return "layer " + (index + 1) + (layers > 0 ? "/" + layers : "") + " " + shortDigest(digest) + "  ";
    }

    private void update(int index, String line) {
        lines.put(index, line);
        if (drawn > 0) {
            err.print("\033[" + drawn + "A");
        }
        for (String l : lines.values()) {
            err.print("\r\033[2K" + l + "\n");
        }
        drawn = lines.size();
    }

    private String bar(String digest, long done, long size) {
        int width = 30;
        int filled = size <= 0 ? width : (int) Math.min(width, done * width / size);
        return String.format(Locale.ROOT, "layer %s [%s%s] %s / %s", shortDigest(digest), "#".repeat(filled),
                " ".repeat(width - filled), ByteSizes.format(done), ByteSizes.format(size));
    }

    private static String shortDigest(String digest) {
        return CliText.escape(digest.substring(0, Math.min(digest.length(), 19)));
    }
}
