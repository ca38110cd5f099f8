package dev.ocitree.operators.compress;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Decompression stages over {@code ByteBuf} chunks, each a {@code Function<Flux<ByteBuf>, Flux<ByteBuf>>}
 * to apply with {@code transform}; every subscription gets its own decoder.
 *
 * <pre>{@code
 * Flux<ByteBuf> tar = blob.transform(Decompressors.of(Compression.fromMediaType(mediaType), limits, digest));
 * }</pre>
 *
 * <p><b>Ownership.</b> A stage releases every input chunk it receives (once decoded, or on error or
 * cancel, including chunks a misbehaving source pushes after cancellation); the subscriber owns every
 * output chunk and must release it. Decoded chunks hold 64 KiB each, except the last. {@link #identity()},
 * {@code of(NONE, ...)} and {@link #detect} on an uncompressed stream pass the input chunks themselves
 * through.
 *
 * <p><b>Demand and threads.</b> A stage requests one input chunk at a time, only when the previous
 * one is fully decoded, and produces each output chunk (at most 64 KiB) only when it is requested: a
 * slow subscriber slows the source, and a 1 KiB input that inflates to 1 GiB is never held in memory
 * at once. Decoding runs on the thread that delivers input or demand and never blocks, so it may run
 * on {@code Schedulers.parallel()} or an event loop. Native libraries (zstd, lz4) are loaded when the
 * stage is created: create stages off event loops.
 *
 * <p><b>Errors.</b> Corrupt, truncated or unsupported input fails the stream with
 * {@link CorruptStreamException} (format, compressed byte offset, input name); more output than
 * {@link StreamLimits#maxExpansionRatio()} times the compressed input (after
 * {@link StreamLimits#expansionGraceBytes()}) fails it with
 * {@link dev.ocitree.operators.LimitExceededException}. Native decoder state is freed on complete,
 * error and cancel.
 */
public final class Decompressors {

    private static final String DEFAULT_SUBJECT = "stream";

    private Decompressors() {
    }

    /**
     * gzip: every member of a multi-member stream, header flags FEXTRA/FNAME/FCOMMENT/FHCRC, CRC32 and
     * ISIZE checked; trailing zero padding after the last member is ignored (as the gzip CLI does),
     * any other trailing byte is corruption.
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> gzip(StreamLimits limits) {
        return stage(Compression.GZIP, limits, DEFAULT_SUBJECT);
    }

    /** zstd: every frame, skippable frames skipped; window up to 2^27 bytes (the zstd CLI's default). */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> zstd(StreamLimits limits) {
        return stage(Compression.ZSTD, limits, DEFAULT_SUBJECT);
    }

    /**
     * The lz4 frame format: every frame, independent and linked blocks, block and content checksums,
     * skippable frames; neither dictionaries nor the legacy format.
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> lz4(StreamLimits limits) {
        return stage(Compression.LZ4, limits, DEFAULT_SUBJECT);
    }

    /** Passes the chunks through unchanged (the same objects; ownership passes to the subscriber). */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> identity() {
        return Function.identity();
    }

    /** {@link #of(Compression, StreamLimits, String)} with the input named "stream". */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> of(Compression declared, StreamLimits limits) {
        return of(declared, limits, DEFAULT_SUBJECT);
    }

    /**
     * Decodes the declared compression after checking the stream's magic bytes against it: a stream
     * whose magic says otherwise (a gzip blob declared zstd, a zstd blob declared uncompressed, a plain
     * tar declared gzip) fails with {@link CompressionMismatchException} naming both.
     *
     * @param subject the input's name for error messages (for example the layer digest)
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> of(Compression declared, StreamLimits limits,
            String subject) {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(subject, "subject");
        loadNative(declared);
        return new DecoderStage(() -> new MagicSniffer(subject, declared, c -> decoder(c, limits, subject)));
    }

    /** {@link #detect(StreamLimits, String)} with the input named "stream". */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> detect(StreamLimits limits) {
        return detect(limits, DEFAULT_SUBJECT);
    }

    /**
     * Chooses the decoder by the stream's magic bytes (gzip, zstd, lz4 frame); a stream with none of
     * them passes through uncompressed. A leading skippable frame is taken for zstd.
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> detect(StreamLimits limits, String subject) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(subject, "subject");
        ZstdDecoder.loadNative();
        Lz4FrameDecoder.loadNative();
        return new DecoderStage(() -> new MagicSniffer(subject, null, c -> decoder(c, limits, subject)));
    }

    private static Function<Flux<ByteBuf>, Flux<ByteBuf>> stage(Compression format, StreamLimits limits,
            String subject) {
        Objects.requireNonNull(limits, "limits");
        loadNative(format);
        return new DecoderStage(() -> decoder(format, limits, subject));
    }

    private static void loadNative(Compression format) {
        if (format == Compression.ZSTD) {
            ZstdDecoder.loadNative();
        } else if (format == Compression.LZ4) {
            Lz4FrameDecoder.loadNative();
        }
    }

    private static ChunkDecoder decoder(Compression format, StreamLimits limits, String subject) {
        return switch (format) {
            case NONE -> new PassThroughDecoder();
            case GZIP -> new GzipDecoder(subject, limits);
            case ZSTD -> new ZstdDecoder(subject, limits);
            case LZ4 -> new Lz4FrameDecoder(subject, limits);
        };
    }
}
