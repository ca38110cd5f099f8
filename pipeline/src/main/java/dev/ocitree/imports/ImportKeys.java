package dev.ocitree.imports;

/** Commit metadata keys written by an import (docs/import.md, "Commits"). */
final class ImportKeys {

    /** ostree-ext's keys on the merged commit: manifest digest, original manifest and config JSON (strings). */
    static final String MANIFEST_DIGEST = "ostree.manifest-digest";
    static final String MANIFEST = "ostree.manifest";
    static final String IMAGE_CONFIG = "ostree.container.image-config";
    static final String IMPORTER_VERSION = "ostree.importer.version";

    /** Blob digests of the layers, base first (merged commit; {@code as}). */
    static final String LAYERS = "ocitree.layers";
    /** Entries left out, {@code "<type> <path>"} ({@code as}, both commits, only when non-empty). */
    static final String SKIPPED = "ocitree.skipped";

    /** Layer commit: blob digest, diff_id, media type. */
    static final String LAYER_DIGEST = "ocitree.layer.digest";
    static final String LAYER_DIFF_ID = "ocitree.layer.diff-id";
    static final String LAYER_MEDIA_TYPE = "ocitree.layer.media-type";
    /** Layer commit: directories that had no entry ({@code as}; {@code ""} is the root). */
    static final String IMPLICIT_DIRS = "ocitree.layer.implicit-dirs";
    /** Layer commit: hardlinks to files of lower layers, path → target ({@code a{sv}} of strings). */
    static final String HARDLINKS = "ocitree.layer.external-hardlinks";

    static final String VERSION = "ocitree 0.1";

    private ImportKeys() {
    }
}
