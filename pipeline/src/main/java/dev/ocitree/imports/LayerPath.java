package dev.ocitree.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * Tar entry names made safe (REGISTRY.md §5 rule 10): leading {@code /} and {@code ./} dropped,
 * empty and {@code .} components removed, {@code ..} clamped at the root as umoci and containerd
 * do, so no name can leave the image root. The result is the list of components ({@code []} is the root).
 */
final class LayerPath {

    private LayerPath() {
    }

    static List<String> components(String name) {
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

    static String join(List<String> components) {
        return String.join("/", components);
    }
}
