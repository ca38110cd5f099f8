/**
 * The OSTree object model, in memory and byte-exact with ostree 2022.7 (OSTREE-FORMAT.md §2–3):
 * {@link dev.ocitree.ostree.Checksum}, {@link dev.ocitree.ostree.ObjectType},
 * {@link dev.ocitree.ostree.RepoMode}, {@link dev.ocitree.ostree.Xattrs},
 * {@link dev.ocitree.ostree.FileMeta} (content-object metadata, bare-user {@code user.ostreemeta},
 * bare-user-only canonicalisation), {@link dev.ocitree.ostree.FileObjectHasher} (content checksums),
 * {@link dev.ocitree.ostree.ArchiveFileEncoder} / {@link dev.ocitree.ostree.ArchiveFileDecoder}
 * ({@code .filez}), {@link dev.ocitree.ostree.Dirmeta}, {@link dev.ocitree.ostree.Dirtree},
 * {@link dev.ocitree.ostree.Commit}, {@link dev.ocitree.ostree.DetachedMetadata} and
 * {@link dev.ocitree.ostree.MutableTree}.
 *
 * <p>Nothing here touches the disk or blocks: the repository ({@code dev.ocitree.ostree.repo})
 * stores what these classes serialise. Malformed objects raise
 * {@link dev.ocitree.ostree.OstreeFormatException} (or
 * {@link dev.ocitree.ostree.gvariant.GVariantException} for GVariant-level damage).
 */
package dev.ocitree.ostree;
