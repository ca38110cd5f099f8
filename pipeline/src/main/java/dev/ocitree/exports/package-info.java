/**
 * Export of OSTree commits as OCI images ({@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]},
 * {@code docker-archive:FILE[:NAME:TAG]}, or pushed to {@code docker://HOST/NAME[:TAG]} with
 * {@link dev.ocitree.registry.RegistryPush}):
 * the commit's tree streams through a deterministic tar writer, a compressor and a digest into a
 * blob file, and the image's config carries what rebuilds the exact commit on import (the commit
 * object and its detached metadata) and what {@code flatpak build-import-bundle --oci} reads
 * ({@code org.flatpak.*} labels). {@link dev.ocitree.exports.ImageExporter} is the entry point,
 * {@link dev.ocitree.exports.CommitRestore} stores such a commit on import. See docs/export.md.
 */
package dev.ocitree.exports;
