package dev.ocitree.imports;

import dev.ocitree.exports.RestoredCommit;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.ostree.Checksum;

/** Progress of an import, in order per layer; the last event of a successful import is {@link Done}. */
public sealed interface ImportEvent {

    /** The manifest and config were read. */
    record Resolved(ResolvedImage image) implements ImportEvent {
    }

    /** A layer's blob is being read ({@code size} compressed bytes). */
    record LayerStarted(int index, String digest, long size) implements ImportEvent {
    }

    /** {@code bytesRead} of the layer's blob have been read (reported about every MiB). */
    record LayerProgress(int index, String digest, long bytesRead, long size) implements ImportEvent {
    }

    /** A layer commit is in the repository (written now, or {@linkplain LayerResult#reused() reused}). */
    record LayerDone(int index, LayerResult layer) implements ImportEvent {
    }

    /** An entry OSTree cannot hold was left out ({@code what} is {@code "<type> <path>"}). */
    record Skipped(String layer, String what) implements ImportEvent {
    }

    /** The merged commit was written. */
    record Merged(Checksum commit) implements ImportEvent {
    }

    /**
     * The image carried an exported commit (ocitree's or flatpak's labels) and it was stored under
     * its original checksum, after the merged commit (docs/export.md).
     */
    record Restored(RestoredCommit restored) implements ImportEvent {
    }

    /** The import finished. */
    record Done(ImportResult result) implements ImportEvent {
    }
}
