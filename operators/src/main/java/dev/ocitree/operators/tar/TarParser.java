package dev.ocitree.operators.tar;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * The tar parsing stage: uncompressed tar bytes in, {@link TarEvent}s out.
 *
 * <pre>{@code
 * Flux<TarEvent> events = layerBytes.transform(TarParser.parse(StreamLimits.defaults()));
 * }</pre>
 *
 * <p>Formats: ustar (with its name prefix), GNU (long names and link targets, base-256 numbers), PAX
 * per-entry and global headers ({@code path}, {@code linkpath}, {@code size}, {@code uid},
 * {@code gid}, {@code uname}, {@code gname}, {@code mtime}, {@code SCHILY.devmajor/devminor},
 * {@code SCHILY.xattr.*}, {@code LIBARCHIVE.xattr.*}), old (v7) tar. Headers are decoded by
 * commons-compress; checksums are verified. GNU sparse files, volume labels and other unknown entry
 * types fail the stream. See {@link TarPushParser} for what counts as the end of the archive.
 *
 * <p>Ownership: the stage owns every input chunk it receives and releases it (after slicing);
 * each {@link TarEvent.Content} emitted is owned by the subscriber, which must release it (see
 * {@link TarEvent.Content}). On cancel or error, the stage releases every buffer it still holds,
 * including events parsed but not yet emitted.
 *
 * <p>Demand: one input chunk is requested at a time, and only after the events of the previous one
 * have been requested downstream; a chunk's events are all parsed when it arrives, so the stage holds
 * at most two chunks.
 *
 * <p>Errors: {@link TarFormatException} (invalid or truncated archive) and
 * {@link LimitExceededException} (a header, path or entry past the {@link StreamLimits}), both naming
 * the entry and byte offset. Once failed, the stage cancels its source and stays failed. Each
 * subscription parses independently.
 */
public final class TarParser {

    private TarParser() {
    }

    /** The parsing stage, for {@link Flux#transform} or {@link Flux#transformDeferred}. */
    public static Function<Flux<ByteBuf>, Flux<TarEvent>> parse(StreamLimits limits) {
        return parse(limits, TarFraming.NONE);
    }

    /**
     * The parsing stage, reporting the stream's framing (every byte but the file bodies, and where
     * each body was) to {@code framing} as it parses: what a byte-exact rebuild of the tar needs.
     * One {@code framing} per subscription: subscribe the returned stage once.
     */
    public static Function<Flux<ByteBuf>, Flux<TarEvent>> parse(StreamLimits limits, TarFraming framing) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(framing, "framing");
        return source -> Flux.defer(() -> {
            TarPushParser parser = new TarPushParser(limits, framing);
            // hide(): no fusion, so chunks are parsed as they arrive and queues only ever hold ParsedChunks;
            // parsing never throws, so late chunks after a failure still reach the (failed) parser and are
            // released by it; handle() turns the failure into the error signal
            return source.hide()
                    .map(chunk -> ParsedChunk.parse(parser, chunk))
                    .concatWith(Flux.defer(() -> Flux.just(ParsedChunk.finish(parser))))
                    .handle(ParsedChunk::emitOrFail)
                    .concatMapIterable(Function.identity(), 1)
                    .doOnDiscard(ParsedChunk.class, ParsedChunk::release)
                    .doOnDiscard(TarEvent.Content.class, TarEvent.Content::release);
        });
    }
}
