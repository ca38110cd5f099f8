package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.ImageManifest;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The layers an image commit records, whoever wrote it: the manifest in {@code ostree.manifest}
 * (ocitree and ostree-ext both store it), else ocitree's {@code ocitree.layers} list.
 */
final class ImageLayers {

    private ImageLayers() {
    }

    /** The layer blob digests, base first; null when the commit records neither. */
    static List<String> of(Commit c, Checksum commit) {
        ImageManifest manifest = manifest(c, commit);
        if (manifest != null) {
            return manifest.layers().stream().map(Descriptor::digest).toList();
        }
        Variant stored = c.metadata().get(ImportKeys.LAYERS);
        try {
            return stored == null ? null : List.copyOf(stored.asStrings());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The sum of the manifest's layer sizes; 0 without a manifest. */
    static long size(Commit c, Checksum commit) {
        ImageManifest manifest = manifest(c, commit);
        return manifest == null ? 0 : manifest.layers().stream().mapToLong(Descriptor::size).sum();
    }

    private static ImageManifest manifest(Commit c, Checksum commit) {
        Variant json = c.metadata().get(ImportKeys.MANIFEST);
        if (json == null) {
            return null;
        }
        try {
            return ImageManifest.parse(json.asString().getBytes(StandardCharsets.UTF_8), null,
                    "metadata " + ImportKeys.MANIFEST + " of commit " + commit);
        } catch (RuntimeException e) { // OciFormatException, or a metadata value of another type
            return null;
        }
    }
}
