package dev.ocitree.operators.compress;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * lz4 frame format push decoder (magic {@code 0x184D2204}): the frame descriptor (version, block
 * independence, block checksums, content size, content checksum, block maximum size, header
 * checksum), data blocks (compressed or stored), the end mark and the XXH32 content checksum are
 * parsed here; independent blocks are decoded with lz4-java's {@link LZ4SafeDecompressor}, linked
 * blocks ({@code lz4 -BD}) with {@link Lz4LinkedBlocks} against the previous 64 KiB of output.
 * Consecutive frames and skippable frames ({@code 0x184D2A50..5F}) are decoded as one stream; the
 * stream must end after a complete frame (an empty stream decodes to nothing, as with {@code lz4 -d}).
 * Not supported (typed error): dictionary IDs and the
 * legacy format ({@code lz4 -l}). Bytes after the last frame that are not a frame are corruption.
 *
 * <p>Memory: one compressed block and one decoded block (plus 64 KiB history when linked), at most
 * 4 MiB each as the frame's block maximum size says; output leaves in chunks of 64 KiB.
 */
final class Lz4FrameDecoder extends StreamDecoder {

    static final int MAGIC = 0x184D2204;
    static final int LEGACY_MAGIC = 0x184C2102;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE = 0x184D2A50;
    private static final int HISTORY = 64 * 1024;

    private static final LZ4SafeDecompressor BLOCKS = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHashFactory HASHES = XXHashFactory.fastestInstance();
    private static final XXHash32 XXH32 = HASHES.hash32();

    /** Protocol steps. */
    private enum State { MAGIC, DESCRIPTOR, SKIP_SIZE, SKIP, BLOCK_SIZE, BLOCK, BLOCK_CHECKSUM, EMIT, CONTENT_CHECKSUM }

    private final byte[] field = new byte[16];
    private final StreamingXXHash32 contentHash = HASHES.newStreamingHash32(0);
    private State state = State.MAGIC;
    private int fieldLength;
    private int frames;
    private boolean independent;
    private boolean blockChecksum;
    private boolean contentChecksum;
    private long contentSize;
    private int blockMax;
    private long frameOutput;
    private long skipRemaining;
    private byte[] block = new byte[0];
    private int blockLength;
    private int blockFill;
    private boolean stored;
    private byte[] window = new byte[0];
    private int historyLength;
    private int emitPos;
    private int emitEnd;

    Lz4FrameDecoder(String subject, StreamLimits limits) {
        super(subject, Compression.LZ4, limits);
    }

    /** Loads lz4-java's native library on the calling thread (it may write a temp file: call off event loops). */
    static void loadNative() {
        BLOCKS.getClass();
    }

    @Override
    void decode(ByteBuf out) {
        while (out.isWritable()) {
            if (state == State.EMIT) {
                int n = Math.min(out.writableBytes(), emitEnd - emitPos);
                out.writeBytes(window, emitPos, n);
                emitPos += n;
                if (emitPos == emitEnd) {
                    blockEmitted();
                }
            } else if (!step()) {
                return;
            }
        }
    }

    /** Advances one protocol step that needs no output space; false when input ran out. */
    private boolean step() {
        switch (state) {
            case MAGIC -> {
                if (!fill(4)) {
                    return false;
                }
                magic(intLE(0));
            }
            case DESCRIPTOR -> {
                if (!fill(2)) {
                    return false;
                }
                int length = descriptorLength();
                if (!fill(length)) {
                    return false;
                }
                descriptor(length);
            }
            case SKIP_SIZE -> {
                if (!fill(4)) {
                    return false;
                }
                skipRemaining = intLE(0) & 0xFFFFFFFFL;
                fieldLength = 0;
                state = State.SKIP;
            }
            case SKIP -> {
                while (skipRemaining > 0) {
                    ByteBuf chunk = head();
                    if (chunk == null) {
                        return false;
                    }
                    int n = (int) Math.min(chunk.readableBytes(), skipRemaining);
                    consume(chunk, n);
                    skipRemaining -= n;
                }
                state = State.MAGIC;
            }
            case BLOCK_SIZE -> {
                if (!fill(4)) {
                    return false;
                }
                blockSize(intLE(0));
            }
            case BLOCK -> {
                while (blockFill < blockLength) {
                    ByteBuf chunk = head();
                    if (chunk == null) {
                        return false;
                    }
                    int n = Math.min(chunk.readableBytes(), blockLength - blockFill);
                    chunk.getBytes(chunk.readerIndex(), block, blockFill, n);
                    consume(chunk, n);
                    blockFill += n;
                }
                if (blockChecksum) {
                    state = State.BLOCK_CHECKSUM;
                } else {
                    decodeBlock();
                }
            }
            case BLOCK_CHECKSUM -> {
                if (!fill(4)) {
                    return false;
                }
                int expected = intLE(0);
                int actual = XXH32.hash(block, 0, blockLength, 0);
                if (expected != actual) {
                    throw corrupt("block checksum mismatch in frame " + (frames + 1) + ": block says "
                            + hex(expected) + ", data has " + hex(actual));
                }
                decodeBlock();
            }
            case CONTENT_CHECKSUM -> {
                if (!fill(4)) {
                    return false;
                }
                int expected = intLE(0);
                int actual = contentHash.getValue();
                if (expected != actual) {
                    throw corrupt("content checksum mismatch in frame " + (frames + 1) + ": frame says "
                            + hex(expected) + ", content has " + hex(actual));
                }
                endFrame();
            }
            default -> throw new IllegalStateException(state.name());
        }
        return true;
    }

    /** Collects the next {@code length} bytes of a small fixed field into {@link #field}. */
    private boolean fill(int length) {
        while (fieldLength < length) {
            int b = readByte();
            if (b < 0) {
                return false;
            }
            field[fieldLength++] = (byte) b;
        }
        return true;
    }

    private int intLE(int pos) {
        return (field[pos] & 0xFF) | (field[pos + 1] & 0xFF) << 8 | (field[pos + 2] & 0xFF) << 16
                | (field[pos + 3] & 0xFF) << 24;
    }

    private void magic(int magic) {
        fieldLength = 0;
        if (magic == MAGIC) {
            state = State.DESCRIPTOR;
        } else if ((magic & SKIPPABLE_MASK) == SKIPPABLE) {
            state = State.SKIP_SIZE;
        } else if (magic == LEGACY_MAGIC) {
            throw corrupt("the lz4 legacy format (lz4 -l) is not supported; use the frame format");
        } else if (frames == 0) {
            throw corrupt("not an lz4 frame (magic " + hex(magic) + ")");
        } else {
            throw corrupt("bytes after lz4 frame " + frames + " are not a frame (magic " + hex(magic) + ")");
        }
    }

    /** Descriptor length from FLG: FLG, BD, optional content size and dictionary ID, HC. */
    private int descriptorLength() {
        int flg = field[0] & 0xFF;
        return 3 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0);
    }

    private void descriptor(int length) {
        int flg = field[0] & 0xFF;
        int bd = field[1] & 0xFF;
        if ((flg >>> 6) != 1) {
            throw corrupt("unsupported lz4 frame version " + (flg >>> 6));
        }
        if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
            throw corrupt("reserved bits set in lz4 frame descriptor (FLG " + hex(flg) + ", BD " + hex(bd) + ")");
        }
        int blockMaxId = (bd >>> 4) & 7;
        if (blockMaxId < 4) {
            throw corrupt("invalid lz4 block maximum size id " + blockMaxId);
        }
        int expected = field[length - 1] & 0xFF;
        int actual = (XXH32.hash(field, 0, length - 1, 0) >>> 8) & 0xFF;
        if (expected != actual) {
            throw corrupt("lz4 frame descriptor checksum mismatch: descriptor says " + hex(expected)
                    + ", computed " + hex(actual));
        }
        if ((flg & 0x01) != 0) {
            throw corrupt("lz4 frames that need a dictionary (dictionary ID set) are not supported");
        }
        independent = (flg & 0x20) != 0;
        blockChecksum = (flg & 0x10) != 0;
        contentChecksum = (flg & 0x04) != 0;
        contentSize = (flg & 0x08) != 0 ? longLE(2) : -1;
        blockMax = 1 << (8 + 2 * blockMaxId);
        if (block.length < blockMax) {
            block = new byte[blockMax];
        }
        int windowSize = independent ? blockMax : HISTORY + blockMax;
        if (window.length < windowSize) {
            window = new byte[windowSize];
        }
        historyLength = 0;
        frameOutput = 0;
        contentHash.reset();
        fieldLength = 0;
        state = State.BLOCK_SIZE;
    }

    private long longLE(int pos) {
        return (intLE(pos) & 0xFFFFFFFFL) | (long) intLE(pos + 4) << 32;
    }

    private void blockSize(int word) {
        fieldLength = 0;
        if (word == 0) {
            if (contentChecksum) {
                state = State.CONTENT_CHECKSUM;
            } else {
                endFrame();
            }
            return;
        }
        stored = word < 0;
        blockLength = word & 0x7FFFFFFF;
        if (blockLength > blockMax) {
            throw corrupt("lz4 block of " + blockLength + " bytes exceeds the frame's block maximum " + blockMax);
        }
        blockFill = 0;
        state = State.BLOCK;
    }

    private void decodeBlock() {
        fieldLength = 0;
        int start = independent ? 0 : historyLength;
        int n;
        if (stored) {
            System.arraycopy(block, 0, window, start, blockLength);
            n = blockLength;
        } else if (independent) {
            try {
                n = BLOCKS.decompress(block, 0, blockLength, window, 0, blockMax);
            } catch (LZ4Exception e) {
                throw corrupt("invalid lz4 block in frame " + (frames + 1) + ": " + e.getMessage(), e);
            }
        } else {
            try {
                n = Lz4LinkedBlocks.decode(block, blockLength, window, start, start + blockMax) - start;
            } catch (IllegalArgumentException e) {
                throw corrupt("invalid lz4 block in frame " + (frames + 1) + ": " + e.getMessage(), e);
            }
        }
        if (contentChecksum) {
            contentHash.update(window, start, n);
        }
        frameOutput += n;
        emitPos = start;
        emitEnd = start + n;
        state = State.EMIT;
    }

    private void blockEmitted() {
        if (!independent) {
            int keep = Math.min(HISTORY, emitEnd);
            System.arraycopy(window, emitEnd - keep, window, 0, keep);
            historyLength = keep;
        }
        state = State.BLOCK_SIZE;
    }

    private void endFrame() {
        fieldLength = 0;
        if (contentSize >= 0 && frameOutput != contentSize) {
            throw corrupt("lz4 frame " + (frames + 1) + " declares " + contentSize + " content bytes but holds "
                    + frameOutput);
        }
        frames++;
        state = State.MAGIC;
    }

    @Override
    void checkComplete() {
        if (state == State.MAGIC && fieldLength == 0) {
            return; // after the last frame; an empty stream is empty content, as `lz4 -d` says
        }
        throw corrupt("truncated lz4 stream (ended in " + state.name().toLowerCase() + " of frame " + (frames + 1) + ")");
    }

    @Override
    void freeResources() {
        contentHash.close();
        block = null;
        window = null;
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
