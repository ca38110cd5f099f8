package dev.ocitree.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * A built test image: one tag of an OCI image layout.
 *
 * @param name {@code one-gzip}, {@code four-zstd}... (layer count and compression)
 * @param layout the OCI image layout directory
 * @param tag its {@code org.opencontainers.image.ref.name}
 * @param compression {@code gzip} or {@code zstd}
 * @param layers the layer blobs, lowest first
 * @param uncompressedBytes total size of the layer tars
 * @param description what the layers hold (files, links, whiteouts)
 */
record Image(String name, Path layout, String tag, String compression, List<Layer> layers,
             long uncompressedBytes, String description) {

    /** One layer blob: its file, digest, size and uncompressed tar size. */
    record Layer(Path blob, String digest, long size, String diffId, long tarSize) {
    }

    long compressedBytes() {
        return layers.stream().mapToLong(Layer::size).sum();
    }

    /** The {@code oci:DIR:TAG} reference ocitree and skopeo understand. */
    String ociRef() {
        return "oci:" + layout + ":" + tag;
    }
}
