package dev.ocitree.exports;

import dev.ocitree.ostree.Checksum;

/**
 * The outcome of an export.
 *
 * @param commit         the exported commit
 * @param destination    the destination as given
 * @param tag            the {@code org.opencontainers.image.ref.name} written in the index, or the
 *                       {@code docker-archive:} RepoTags entry (null for none)
 * @param manifestDigest the manifest's digest (null for {@code docker-archive:}, which has no manifest blob)
 * @param configDigest   the config's digest
 * @param layerDigest    the (compressed) layer blob's digest
 * @param diffId         the uncompressed layer tar's digest
 * @param layerSize      the layer blob's size in bytes
 * @param tarSize        the uncompressed tar's size in bytes
 */
public record ExportResult(Checksum commit, String destination, String tag, String manifestDigest,
        String configDigest, String layerDigest, String diffId, long layerSize, long tarSize) {
}
