/**
 * A compact record of a layer tar's framing, kept at import so the layer tar can be rebuilt byte
 * for byte from the layer commit (what tar-split does for containers-storage): every byte that is
 * not a regular file's body (headers, PAX and GNU long-name members, padding, end-of-archive blocks
 * and whatever follows them), and for each body the entry's path and size, whose content the layer
 * commit holds. {@link dev.ocitree.tarsplit.TarSplitRecorder} writes it (zstd-compressed) while the
 * tar is parsed; {@link dev.ocitree.tarsplit.TarSplitParts} reads it back as a stream of parts.
 * Format and storage: docs/import.md ("The tar record").
 */
package dev.ocitree.tarsplit;
