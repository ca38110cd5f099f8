package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.MutableTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies layer trees, base first, to the merged tree with OCI semantics (REGISTRY.md §5; details in
 * docs/import.md):
 * <ul>
 *   <li>per directory, a layer's whiteouts act first and only on the lower layers: an opaque
 *       {@code .wh..wh..opq} empties the directory, {@code .wh.NAME} removes NAME (file, symlink or
 *       whole directory); then the layer's entries are added, so an entry and its own whiteout in
 *       one layer leave the entry;</li>
 *   <li>a directory entry over a directory replaces only its metadata; every other pair replaces
 *       the lower entry outright (file ↔ directory ↔ symlink);</li>
 *   <li>a directory the layer only implies (no entry of its own) that is a symlink in the lower
 *       layers is resolved inside the merged root, as umoci does ({@code lib -> usr/lib} then
 *       {@code lib/x.so} lands in {@code usr/lib/x.so}); {@code ..} and absolute targets are clamped
 *       at the root, so nothing is ever written outside it, and no symlink is followed for an
 *       entry that has its own header;</li>
 *   <li>hardlinks to files of lower layers take the merged file's object;</li>
 *   <li>{@code .wh..wh.*} AUFS metadata other than the opaque marker is ignored.</li>
 * </ul>
 * No file content is read: trees refer to objects by checksum. Not thread-safe.
 */
final class LayerMerger {

    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_SYMLINK_HOPS = 40;

    private final MutableTree merged;
    private final Function<Checksum, String> symlinkTarget;
    private final Checksum implicitMeta;

    /**
     * @param merged        the tree to apply layers to (a new root, or a loaded commit)
     * @param symlinkTarget the target of a file object, or {@code null} when it is not a symlink
     * @param implicitMeta  dirmeta for directories the merge must create (a symlink resolving to a
     *                      missing path); the caller stores that object
     */
    LayerMerger(MutableTree merged, Function<Checksum, String> symlinkTarget, Checksum implicitMeta) {
        this.merged = merged;
        this.symlinkTarget = symlinkTarget;
        this.implicitMeta = implicitMeta;
    }

    MutableTree merged() {
        return merged;
    }

    /**
     * Applies one layer.
     *
     * @param layer         the layer digest, for messages
     * @param root          the layer's tree (read only)
     * @param implicitDirs  paths of the layer's directories that had no entry ({@code ""} = root)
     * @param hardlinks     links to files of lower layers: path → target path
     */
    void apply(String layer, MutableTree root, Set<String> implicitDirs, Map<String, String> hardlinks) {
        if (!implicitDirs.contains("")) {
            merged.setMeta(root.meta());
        }
        List<MutableTree> stack = new ArrayList<>();
        stack.add(merged);
        applyDir(layer, root, stack, "", implicitDirs);
        for (Map.Entry<String, String> link : hardlinks.entrySet()) {
            link(layer, link.getKey(), link.getValue());
        }
    }

    private void applyDir(String layer, MutableTree from, List<MutableTree> stack, String path, Set<String> implicit) {
        MutableTree into = stack.get(stack.size() - 1);
        Map<String, Checksum> files = from.files();
        Map<String, MutableTree> dirs = from.dirs();
        if (files.containsKey(OPAQUE)) {
            into.clear();
        }
        for (String name : files.keySet()) {
            whiteout(layer, into, path, name);
        }
        for (String name : dirs.keySet()) {
            whiteout(layer, into, path, name);
        }
        for (Map.Entry<String, Checksum> e : files.entrySet()) {
            if (!e.getKey().startsWith(WHITEOUT)) {
                into.putFile(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, MutableTree> e : dirs.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(WHITEOUT)) {
                continue;
            }
            String childPath = path.isEmpty() ? name : path + "/" + name;
            List<MutableTree> childStack;
            boolean implied = implicit.contains(childPath);
            if (implied && into.dir(name) == null && !into.files().containsKey(name)
                    && !hasEntries(e.getValue(), childPath, implicit)) {
                continue;
            }
            if (implied && into.dir(name) == null && isSymlink(into.files().get(name))) {
                childStack = resolve(layer, childPath, stack, List.of(name));
            } else {
                childStack = new ArrayList<>(stack);
                childStack.add(into.putDir(name, implicit.contains(childPath) ? null : e.getValue().meta()));
                if (childStack.get(childStack.size() - 1).meta() == null) {
                    childStack.get(childStack.size() - 1).setMeta(e.getValue().meta());
                }
            }
            applyDir(layer, e.getValue(), childStack, childPath, implicit);
        }
    }

    /**
     * Whether an implied directory holds anything but whiteouts: one that holds only whiteouts (of
     * paths that cannot exist below) is not created, as with umoci.
     */
    private static boolean hasEntries(MutableTree dir, String path, Set<String> implicit) {
        for (String name : dir.files().keySet()) {
            if (!name.startsWith(WHITEOUT)) {
                return true;
            }
        }
        for (Map.Entry<String, MutableTree> e : dir.dirs().entrySet()) {
            String childPath = path + "/" + e.getKey();
            if (!e.getKey().startsWith(WHITEOUT)
                    && (!implicit.contains(childPath) || hasEntries(e.getValue(), childPath, implicit))) {
                return true;
            }
        }
        return false;
    }

    private static void whiteout(String layer, MutableTree into, String path, String name) {
        if (!name.startsWith(WHITEOUT) || name.equals(OPAQUE) || name.startsWith(WHITEOUT + WHITEOUT)) {
            return;
        }
        String victim = name.substring(WHITEOUT.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
            throw new LayerFormatException(layer, path.isEmpty() ? name : path + "/" + name,
                    victim.isEmpty() ? "a bare whiteout '.wh.' names nothing" : "a whiteout may not name '" + victim + "'");
        }
        into.remove(victim);
    }

    private boolean isSymlink(Checksum file) {
        return file != null && symlinkTarget.apply(file) != null;
    }

    /**
     * Walks {@code components} from the directory on top of {@code stack}, following symlinks inside
     * the merged root ({@code ..} stops at the root, absolute targets start there) and creating
     * missing directories; returns the stack of the directory reached.
     */
    private List<MutableTree> resolve(String layer, String entry, List<MutableTree> stack, List<String> components) {
        List<MutableTree> at = new ArrayList<>(stack);
        List<String> todo = new ArrayList<>(components);
        int hops = 0;
        while (!todo.isEmpty()) {
            String name = todo.remove(0);
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (at.size() > 1) {
                    at.remove(at.size() - 1);
                }
                continue;
            }
            MutableTree dir = at.get(at.size() - 1);
            MutableTree next = dir.dir(name);
            if (next != null) {
                at.add(next);
                continue;
            }
            Checksum file = dir.files().get(name);
            String target = file == null ? null : symlinkTarget.apply(file);
            if (file != null && target == null) {
                throw new LayerFormatException(layer, entry, "its parent '" + name + "' resolves to a file, not a directory");
            }
            if (target != null) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new LayerFormatException(layer, entry, "too many levels of symbolic links");
                }
                if (target.startsWith("/")) {
                    at.subList(1, at.size()).clear();
                }
                List<String> expanded = new ArrayList<>(List.of(target.split("/")));
                expanded.addAll(todo);
                todo = expanded;
                continue;
            }
            at.add(dir.putDir(name, implicitMeta));
        }
        return at;
    }

    private void link(String layer, String path, String target) {
        List<String> to = LayerPath.components(target);
        List<String> from = LayerPath.components(path);
        List<MutableTree> root = List.of(merged);
        MutableTree targetDir = last(resolve(layer, path, root, to.subList(0, to.size() - 1)));
        String targetName = to.get(to.size() - 1);
        Checksum content = targetDir.files().get(targetName);
        if (content == null) {
            throw new LayerFormatException(layer, path, "hardlink target '" + target + "' "
                    + (targetDir.dir(targetName) != null ? "is a directory" : "does not exist in this or a lower layer"));
        }
        last(resolve(layer, path, root, from.subList(0, from.size() - 1))).putFile(from.get(from.size() - 1), content);
    }

    private static MutableTree last(List<MutableTree> stack) {
        return stack.get(stack.size() - 1);
    }
}
