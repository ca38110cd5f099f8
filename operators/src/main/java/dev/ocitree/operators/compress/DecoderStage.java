package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/**
 * Turns a {@link ChunkDecoder} into a {@code Flux} stage, composed from Reactor operators:
 * <ul>
 *   <li>{@code Flux.using}: one decoder per subscription, closed on complete, error and cancel;</li>
 *   <li>{@code map}: each input chunk is handed to the decoder as soon as it arrives, so no operator
 *       queue ever holds a {@code ByteBuf} that could be lost on cancel;</li>
 *   <li>{@code concatMap(..., 0)}: one input chunk at a time, requested only after the previous one
 *       is fully decoded; its output comes from a {@code Flux.generate} that calls
 *       {@link ChunkDecoder#poll()} once per requested output chunk, so output is produced on
 *       demand and never buffered ahead;</li>
 *   <li>{@code concatWith}: after the input completes, the rest is drained and completeness checked.</li>
 * </ul>
 */
final class DecoderStage implements Function<Flux<ByteBuf>, Flux<ByteBuf>> {

    /** Marks "an input chunk was handed over" in the map step. */
    private static final Object FED = new Object();

    private final Supplier<ChunkDecoder> decoders;

    DecoderStage(Supplier<ChunkDecoder> decoders) {
        this.decoders = decoders;
    }

    @Override
    public Flux<ByteBuf> apply(Flux<ByteBuf> input) {
        return Flux.using(decoders::get,
                decoder -> input
                        .map(chunk -> {
                            decoder.accept(chunk);
                            return FED;
                        })
                        .concatMap(fed -> drain(decoder), 0)
                        .concatWith(Flux.defer(() -> {
                            decoder.endOfInput();
                            return drain(decoder);
                        })),
                ChunkDecoder::close);
    }

    private static Flux<ByteBuf> drain(ChunkDecoder decoder) {
        return Flux.generate(sink -> {
            ByteBuf out;
            try {
                out = decoder.poll();
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            if (out == null) {
                sink.complete();
            } else {
                sink.next(out);
            }
        });
    }
}
