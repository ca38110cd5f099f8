package dev.ocitree.tarsplit;

import java.util.ArrayList;
import java.util.List;

/**
 * Tar entry names made safe (REGISTRY.md §5 rule 10): leading {@code /} and {@code ./} dropped,
 * empty and {@code .} components removed, {@code ..} clamped at the root as umoci and containerd
 * do, so no name can leave the image root. The import stores an entry at these components; a
 * record's body is found again by them.
 */
public final class EntryPaths {

    private EntryPaths() {
    }

    /** The components of {@code name} ({@code []} is the root). */
    public static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(part);
        }
        return out;
    }
}
