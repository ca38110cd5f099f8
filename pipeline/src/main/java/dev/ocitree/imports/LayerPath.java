package dev.ocitree.imports;

import dev.ocitree.tarsplit.EntryPaths;
import java.util.List;

/** Tar entry names made safe ({@link EntryPaths}) and joined with {@code /}. */
final class LayerPath {

    private LayerPath() {
    }

    static List<String> components(String name) {
        return EntryPaths.components(name);
    }

    static String join(List<String> components) {
        return String.join("/", components);
    }
}
