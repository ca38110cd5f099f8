/**
 * OCI image sources, named as skopeo names them: {@code oci:DIR[:TAG]} (an OCI image layout),
 * {@code oci-archive:FILE[:TAG]} (the same layout in a tar file) and
 * {@code docker-archive:FILE[:NAME:TAG]} (the {@code docker save} format).
 *
 * <p>{@link dev.ocitree.oci.OciSource#open} parses a source name; {@link dev.ocitree.oci.OciSource#resolve}
 * reads the index, picks the manifest for a {@link dev.ocitree.oci.Platform} and returns the original
 * manifest and config bytes with their parsed form ({@link dev.ocitree.oci.ResolvedImage});
 * {@link dev.ocitree.oci.OciSource#blob} streams one blob as {@code Flux<ByteBuf>}, read on the
 * bounded I/O scheduler given at open time. Nothing is staged on disk: an archive's members are read
 * in place from their offsets in the outer tar.
 *
 * <p>Every malformed input raises an {@link dev.ocitree.oci.OciFormatException} naming the file (and
 * the field); a tag, platform or blob that is not there raises an {@link dev.ocitree.oci.ImageNotFoundException}.
 */
package dev.ocitree.oci;
