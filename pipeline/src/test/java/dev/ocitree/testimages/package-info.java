/**
 * Builds test images: layer tars from an entry list ({@link dev.ocitree.testimages.LayerBuilder}),
 * compressed as asked ({@link dev.ocitree.testimages.LayerCompression}), written as OCI layouts,
 * oci-archives or docker-archives ({@link dev.ocitree.testimages.ImageBuilder}). Output is
 * deterministic: the same entries give the same uncompressed tars (diff_ids).
 */
package dev.ocitree.testimages;
