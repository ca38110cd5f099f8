/**
 * Digest stages over {@code Flux<ByteBuf>}: compute the SHA-256 of a stream in passing (the blob
 * digest of a compressed layer, the diff_id of its tar) and verify it against an expected OCI digest.
 * Entry point: {@link dev.ocitree.operators.digest.Digests}.
 */
package dev.ocitree.operators.digest;
