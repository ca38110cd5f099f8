package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;

/**
 * A push decoder, driven by {@link DecoderStage}: {@link #accept} hands over input, {@link #poll}
 * returns at most one output chunk or {@code null} when it needs input (or, after
 * {@link #endOfInput}, when the stream is complete). Implementations are safe to {@link #close} from
 * another thread while a poll runs (every method is {@code synchronized}).
 */
interface ChunkDecoder {

    /** Takes ownership of {@code chunk}: the decoder releases it once consumed, on failure or on close. */
    void accept(ByteBuf chunk);

    /** No more input follows; the next polls drain what is left and then check the stream is complete. */
    void endOfInput();

    /**
     * The next output chunk (owned by the caller), or {@code null} when more input is needed or the
     * stream is finished. Throws a {@link dev.ocitree.operators.OcitreeException} on corrupt input or
     * an exceeded limit; from then on every poll throws the same exception.
     */
    ByteBuf poll();

    /** Releases all input and native resources. Idempotent; later polls return {@code null}. */
    void close();
}
