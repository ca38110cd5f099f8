package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;

/**
 * One layer of an import.
 *
 * @param digest    the layer's blob digest (its commit's ref is {@link ContainerRefs#blobRef} of it)
 * @param diffId    the digest of the uncompressed tar
 * @param commit    the layer commit
 * @param reused    whether the commit was already in the repository (the blob was not read)
 * @param bytesRead blob bytes read from the source for this layer (0 when reused)
 */
public record LayerResult(String digest, String diffId, Checksum commit, boolean reused, long bytesRead) {
}
