package dev.ocitree.operators.compress;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.OcitreeException;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * Common machinery of the format decoders: the queue of owned input chunks, the output chunk being
 * filled, the compressed and decompressed byte counts, the expansion-ratio check, and the sticky
 * failure. A subclass implements {@link #decode(ByteBuf)} (fill the output chunk from the queued
 * input) and {@link #checkComplete()} (at end of input, fail unless the stream ended on a boundary).
 *
 * <p>An output chunk is handed out when full ({@link #OUTPUT_CHUNK} bytes) or at the end of input,
 * so small input chunks do not turn into many small output chunks; at most one partly filled chunk
 * is held between input chunks.
 *
 * <p>Ownership: queued input chunks belong to this decoder until fully consumed (then released) or
 * until failure/close; so does the output chunk being filled; a chunk returned by {@link #poll()}
 * belongs to the caller.
 */
abstract class StreamDecoder implements ChunkDecoder {

    /** Largest output chunk a decoder emits. */
    static final int OUTPUT_CHUNK = 64 * 1024;

    final String subject;
    final Compression format;
    private final StreamLimits limits;
    private final ArrayDeque<ByteBuf> input = new ArrayDeque<>();
    private ByteBuf pending;
    private long received;
    private long consumed;
    private long produced;
    private boolean ended;
    private boolean closed;
    private OcitreeException failure;

    StreamDecoder(String subject, Compression format, StreamLimits limits) {
        this.subject = subject;
        this.format = format;
        this.limits = limits;
    }

    /**
     * Decodes queued input into {@code out} until it is full or the queued input is used up. Throws
     * {@link CorruptStreamException} via {@link #corrupt}.
     */
    abstract void decode(ByteBuf out);

    /** Called once input has ended and {@link #decode()} returned null: throws unless complete. */
    abstract void checkComplete();

    /** Frees format-specific resources (native contexts, held output); called once. */
    abstract void freeResources();

    @Override
    public final synchronized void accept(ByteBuf chunk) {
        if (closed || failure != null || !chunk.isReadable()) {
            chunk.release();
            return;
        }
        received += chunk.readableBytes();
        input.add(chunk);
    }

    @Override
    public final synchronized void endOfInput() {
        ended = true;
    }

    @Override
    public final synchronized ByteBuf poll() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            return null;
        }
        try {
            if (pending == null) {
                pending = allocate();
            }
            int before = pending.readableBytes();
            decode(pending);
            produced += pending.readableBytes() - before;
            checkExpansion();
            if (pending.isWritable() && !ended) {
                return null;
            }
            ByteBuf out = pending;
            pending = null;
            if (out.isReadable()) {
                return out;
            }
            out.release();
            checkComplete();
            return null;
        } catch (OcitreeException e) {
            failure = e;
            releaseInput();
            throw e;
        }
    }

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            releaseInput();
            freeResources();
        }
    }

    private void checkExpansion() {
        if (produced <= limits.expansionGraceBytes()) {
            return;
        }
        long ratio = limits.maxExpansionRatio();
        boolean exceeded = received < Long.MAX_VALUE / ratio && produced > received * ratio;
        if (exceeded) {
            throw new LimitExceededException(subject + ": " + format.label() + " stream expands " + produced
                    + " bytes out of " + received + " compressed bytes, more than the maximum ratio "
                    + ratio + " (StreamLimits.maxExpansionRatio) after the grace of "
                    + limits.expansionGraceBytes() + " bytes; a decompression bomb?");
        }
    }

    private void releaseInput() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        ByteBuf chunk;
        while ((chunk = input.poll()) != null) {
            chunk.release();
        }
    }

    /** The input chunk to read from (readable), or null when no input is queued. */
    final ByteBuf head() {
        ByteBuf chunk = input.peek();
        while (chunk != null && !chunk.isReadable()) {
            input.poll().release();
            chunk = input.peek();
        }
        return chunk;
    }

    /** Marks {@code n} bytes of {@code chunk} (the head) as consumed. */
    final void consume(ByteBuf chunk, int n) {
        chunk.skipBytes(n);
        consumed += n;
    }

    /** The next input byte (consumed), or -1 when no input is queued. */
    final int readByte() {
        ByteBuf chunk = head();
        if (chunk == null) {
            return -1;
        }
        consumed++;
        return chunk.readUnsignedByte();
    }

    /** The next input byte without consuming it, or -1 when no input is queued. */
    final int peekByte() {
        ByteBuf chunk = head();
        return chunk == null ? -1 : chunk.getUnsignedByte(chunk.readerIndex());
    }

    /** Bytes of compressed input consumed so far: the offset reported in errors. */
    final long consumed() {
        return consumed;
    }

    /** True once the producer has declared the end of input. */
    final boolean ended() {
        return ended;
    }

    final int maxHeaderBytes() {
        return limits.maxHeaderBytes();
    }

    final CorruptStreamException corrupt(String reason) {
        return new CorruptStreamException(subject, format, consumed, reason);
    }

    final CorruptStreamException corrupt(String reason, Throwable cause) {
        return new CorruptStreamException(subject, format, consumed, reason, cause);
    }

    private static ByteBuf allocate() {
        return ByteBufAllocator.DEFAULT.buffer(OUTPUT_CHUNK, OUTPUT_CHUNK);
    }

}
