package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Compression stages, each a {@code Function<Flux<ByteBuf>, Flux<ByteBuf>>} to apply with
 * {@code transform}; each subscription compresses afresh. Output is deterministic: the same input
 * and level give the same bytes (gzip: no name, mtime 0, OS Unix, blocks deflated on every core
 * as {@code pigz} does, see {@link ParallelGzip}; zstd: one frame with a content checksum). They do
 * CPU work only: gzip on {@code Schedulers.parallel()}, zstd on the thread that delivers each chunk;
 * the zstd native library is loaded when the stage is built (it may write a temp file: build it off
 * event loops).
 *
 * <p>Buffers: each input chunk is released once compressed; output chunks are new heap buffers the
 * subscriber owns. On cancel or error the compressor's state is freed and pending chunks released.
 */
public final class Compressors {

    /** gzip's default level, as {@code gzip} and flatpak use. */
    public static final int GZIP_DEFAULT_LEVEL = 6;
    /** Input chunks requested ahead: memory stays a few chunks whatever the demand downstream. */
    static final int PREFETCH = 2;

    /** zstd's default level, as the {@code zstd} CLI uses. */
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    private Compressors() {
    }

    /** The stage for a compression at its default level; {@link Compression#NONE} passes chunks through. */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> of(Compression compression) {
        return switch (compression) {
            case NONE -> chunks -> chunks;
            case GZIP -> gzip(GZIP_DEFAULT_LEVEL);
            case ZSTD -> zstd(ZSTD_DEFAULT_LEVEL);
            case LZ4 -> throw new UnsupportedOperationException("lz4 layers are read, not written");
        };
    }

    /**
     * One gzip member at {@code level} (0–9), its blocks deflated in parallel on
     * {@code Schedulers.parallel()} ({@link ParallelGzip}).
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> gzip(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level " + level + " is not 0-9");
        }
        return new ParallelGzip(level, Schedulers.parallel(), Schedulers.DEFAULT_POOL_SIZE);
    }

    /** One zstd frame at {@code level} (1–19). */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> zstd(int level) {
        if (level < 1 || level > 19) {
            throw new IllegalArgumentException("zstd level " + level + " is not 1-19");
        }
        ZstdDecoder.loadNative();
        return encoding(() -> new ZstdEncoder(level));
    }

    private static Function<Flux<ByteBuf>, Flux<ByteBuf>> encoding(Supplier<ChunkEncoder> encoders) {
        return chunks -> Flux.using(encoders::get,
                encoder -> chunks.concatMapIterable(chunk -> {
                            try {
                                return encoder.encode(chunk);
                            } finally {
                                chunk.release();
                            }
                        }, PREFETCH)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(encoder.finish()))),
                ChunkEncoder::close, false)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }
}
