/**
 * Non-blocking, push-style decompression of {@code Flux<ByteBuf>} streams: gzip (multi-member),
 * zstd (multi-frame, skippable frames), the lz4 frame format, and identity, chosen by declared
 * {@link dev.ocitree.operators.compress.Compression} or by magic bytes.
 *
 * <p>Entry point: {@link dev.ocitree.operators.compress.Decompressors}. Every stage releases every
 * input chunk it receives; its subscriber owns every output chunk. Decoding work runs on the thread
 * that delivers input or demand (never blocking); output is cut into chunks of at most 64 KiB and
 * produced only on demand, so a small input that inflates to gigabytes is never materialised.
 */
package dev.ocitree.operators.compress;
