package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.tarsplit.TarSplitRecorder;
import java.util.List;

/**
 * Whether a layer commit holds every body its tar record refers to: each recorded body must have
 * been stored (the import's tar stage may drop or rename entries) and the layer tree must still
 * have that very object at the body's path (a later entry of the same path replaces it). A layer
 * that fails keeps its record, with the reason beside it, and its export fails naming the layer.
 */
final class TarSplitCheck {

    /** A regular file with content as the write stage stored it. */
    record StoredBody(String path, long size, Checksum object) {
    }

    private TarSplitCheck() {
    }

    /** Why the layer cannot round trip, or null when it can. */
    static String problem(List<TarSplitRecorder.Body> bodies, List<StoredBody> stored, MutableTree root) {
        if (bodies.size() != stored.size()) {
            return "the import's tar stage dropped entries: " + stored.size() + " of the tar's " + bodies.size()
                    + " file bodies were stored";
        }
        for (int i = 0; i < bodies.size(); i++) {
            TarSplitRecorder.Body b = bodies.get(i);
            StoredBody s = stored.get(i);
            if (!b.path().equals(s.path()) || b.size() != s.size()) {
                return "the import's tar stage rewrote entry '" + b.path() + "' as '" + s.path() + "'";
            }
            if (!s.object().equals(lookup(root, LayerPath.components(b.path())))) {
                return "the body of '" + b.path() + "' is not in the layer commit (a later entry of the same path"
                        + " replaced it)";
            }
        }
        return null;
    }

    private static Checksum lookup(MutableTree root, List<String> path) {
        if (path.isEmpty()) {
            return null;
        }
        MutableTree dir = root;
        for (String name : path.subList(0, path.size() - 1)) {
            dir = dir.dir(name);
            if (dir == null) {
                return null;
            }
        }
        return dir.files().get(path.get(path.size() - 1));
    }
}
