package dev.ocitree.operators.compress;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Holds the first input chunks until the stream's first four bytes are known, then chooses the
 * decoder from the magic bytes ({@code detect}) or checks them against the declared compression
 * ({@code of}) and hands the held chunks to it.
 *
 * <p>Magic bytes: gzip {@code 1f 8b}; zstd {@code 28 b5 2f fd}; lz4 frame {@code 04 22 4d 18};
 * lz4 legacy {@code 02 21 4c 18}; a skippable frame {@code 5? 2a 4d 18} is valid at the start of a
 * zstd or an lz4 stream, and detection takes it for zstd (lz4 has no standard OCI media type).
 * Anything else is uncompressed. A declared compressed stream shorter than its magic is handed to its
 * decoder, which reports it truncated.
 *
 * <p>Ownership: held chunks belong to this sniffer until handed to the delegate; close releases them.
 */
final class MagicSniffer implements ChunkDecoder {

    private static final int MAGIC = 4;

    private final String subject;
    private final Compression declared;
    private final Function<Compression, ChunkDecoder> decoders;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private final byte[] magic = new byte[MAGIC];
    private int magicLength;
    private ChunkDecoder delegate;
    private boolean ended;
    private boolean closed;
    private RuntimeException failure;

    /** {@code declared} null means: detect. */
    MagicSniffer(String subject, Compression declared, Function<Compression, ChunkDecoder> decoders) {
        this.subject = subject;
        this.declared = declared;
        this.decoders = decoders;
    }

    @Override
    public synchronized void accept(ByteBuf chunk) {
        if (closed || failure != null) {
            chunk.release();
        } else if (delegate != null) {
            delegate.accept(chunk);
        } else {
            int n = Math.min(MAGIC - magicLength, chunk.readableBytes());
            chunk.getBytes(chunk.readerIndex(), magic, magicLength, n);
            magicLength += n;
            held.add(chunk);
        }
    }

    @Override
    public synchronized void endOfInput() {
        ended = true;
        if (delegate != null) {
            delegate.endOfInput();
        }
    }

    @Override
    public synchronized ByteBuf poll() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            return null;
        }
        if (delegate == null) {
            if (magicLength < MAGIC && !ended) {
                return null;
            }
            try {
                delegate = decoders.apply(choose());
            } catch (RuntimeException e) {
                failure = e;
                release();
                throw e;
            }
            ByteBuf chunk;
            while ((chunk = held.poll()) != null) {
                delegate.accept(chunk);
            }
            if (ended) {
                delegate.endOfInput();
            }
        }
        return delegate.poll();
    }

    private Compression choose() {
        Compression detected = detect(magic, magicLength);
        if (declared == null || declared == detected) {
            return detected;
        }
        if (declared != Compression.NONE && magicLength < MAGIC && isPrefixOf(declared)) {
            return declared;
        }
        if (detected == Compression.NONE && magicLength == 0) {
            return declared;
        }
        if (isSkippable(magic, magicLength) && declared == Compression.LZ4) {
            return declared;
        }
        throw new CompressionMismatchException(subject, declared, detected);
    }

    private boolean isPrefixOf(Compression format) {
        byte[] full = switch (format) {
            case GZIP -> new byte[] {0x1f, (byte) 0x8b, 8};
            case ZSTD -> new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
            case LZ4 -> new byte[] {0x04, 0x22, 0x4d, 0x18};
            case NONE -> new byte[0];
        };
        for (int i = 0; i < magicLength; i++) {
            if (i >= full.length || magic[i] != full[i]) {
                return false;
            }
        }
        return true;
    }

    /** The format the first {@code length} bytes of a stream announce. */
    static Compression detect(byte[] magic, int length) {
        if (length >= 2 && magic[0] == 0x1f && magic[1] == (byte) 0x8b) {
            return Compression.GZIP;
        }
        if (length < MAGIC) {
            return Compression.NONE;
        }
        int word = (magic[0] & 0xFF) | (magic[1] & 0xFF) << 8 | (magic[2] & 0xFF) << 16 | (magic[3] & 0xFF) << 24;
        if (word == ZstdDecoder.MAGIC || isSkippable(magic, length)) {
            return Compression.ZSTD;
        }
        if (word == Lz4FrameDecoder.MAGIC || word == Lz4FrameDecoder.LEGACY_MAGIC) {
            return Compression.LZ4;
        }
        return Compression.NONE;
    }

    private static boolean isSkippable(byte[] magic, int length) {
        return length >= MAGIC && (magic[0] & 0xF0) == 0x50 && magic[1] == 0x2a && magic[2] == 0x4d && magic[3] == 0x18;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release();
            if (delegate != null) {
                delegate.close();
            }
        }
    }

    private void release() {
        ByteBuf chunk;
        while ((chunk = held.poll()) != null) {
            chunk.release();
        }
    }
}
