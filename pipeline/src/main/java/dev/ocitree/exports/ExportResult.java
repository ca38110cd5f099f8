package dev.ocitree.exports;

import dev.ocitree.ostree.Checksum;
import java.util.List;

/**
 * The outcome of an export.
 *
 * @param commit         the exported commit (for an image, its merged commit)
 * @param destination    the destination as given
 * @param tag            the {@code org.opencontainers.image.ref.name} written in the index, or the
 *                       {@code docker-archive:} RepoTags entry (null for none)
 * @param manifestDigest the manifest's digest (null for {@code docker-archive:}, which has no manifest blob)
 * @param configDigest   the config's digest
 * @param layers         the layers written, base first
 */
public record ExportResult(Checksum commit, String destination, String tag, String manifestDigest,
        String configDigest, List<Layer> layers) {

    /**
     * One layer written.
     *
     * @param digest  the (compressed) layer blob's digest
     * @param size    the layer blob's size in bytes
     * @param diffId  the uncompressed layer tar's digest
     * @param tarSize the uncompressed tar's size in bytes
     */
    public record Layer(String digest, long size, String diffId, long tarSize) {
    }

    public ExportResult {
        layers = List.copyOf(layers);
    }

    /** The top layer's blob digest (the only one of a commit export). */
    public String layerDigest() {
        return top().digest();
    }

    /** The top layer's diff_id. */
    public String diffId() {
        return top().diffId();
    }

    /** The top layer's blob size. */
    public long layerSize() {
        return top().size();
    }

    /** The top layer's tar size. */
    public long tarSize() {
        return top().tarSize();
    }

    private Layer top() {
        return layers.get(layers.size() - 1);
    }
}
