package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import java.util.List;

/**
 * The outcome of an import.
 *
 * @param imageName      the image's canonical name (absolute path; tag, or manifest digest when untagged)
 * @param imageRef       the image's ref ({@link ContainerRefs#imageRef})
 * @param manifestDigest the manifest digest
 * @param commit         the merged commit
 * @param branch         the user ref also pointed at the commit, or {@code null}
 * @param layers         the layers, base first
 * @param skipped        entries OSTree cannot hold that were left out, as {@code "<type> <path>"}
 */
public record ImportResult(String imageName, String imageRef, String manifestDigest, Checksum commit, String branch,
        List<LayerResult> layers, List<String> skipped) {

    public ImportResult {
        layers = List.copyOf(layers);
        skipped = List.copyOf(skipped);
    }

    /** Layer blob bytes read from the source (0 when every layer was already in the repository). */
    public long bytesRead() {
        return layers.stream().mapToLong(LayerResult::bytesRead).sum();
    }
}
