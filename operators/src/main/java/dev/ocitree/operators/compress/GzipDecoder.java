package dev.ocitree.operators.compress;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * gzip (RFC 1952) push decoder: parses each member's header (FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT)
 * and trailer (CRC32 and ISIZE are checked) itself and inflates the deflate body with a raw
 * ({@code nowrap}) {@link Inflater}. Decodes every member to the end of the stream, so concatenated
 * members ({@code cat a.gz b.gz}, pigz, eStargz) yield the concatenation of their contents.
 *
 * <p>Trailing zero bytes after the last complete member (tape/block padding) are accepted and
 * ignored, as the gzip CLI does ("decompression OK, trailing zero bytes ignored"); any other
 * trailing byte is corruption (the CLI's "trailing garbage"), so a half-written second member is
 * never taken for padding. An empty stream is corrupt (gzip: "unexpected end of file").
 */
final class GzipDecoder extends StreamDecoder {

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int FRESERVED = 0xE0;

    /** Protocol steps, in member order. */
    private enum State { MEMBER_START, FIXED_HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, INFLATE,
        TRAILER, PADDING }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 headerCrc = new CRC32();
    private final CRC32 contentCrc = new CRC32();
    private State state = State.MEMBER_START;
    private int members;
    private int flags;
    private int fieldPos;
    private int fieldLength;
    private int textBytes;
    private long trailer;
    private long memberSize;

    GzipDecoder(String subject, StreamLimits limits) {
        super(subject, Compression.GZIP, limits);
    }

    @Override
    void decode(ByteBuf out) {
        while (out.isWritable()) {
            switch (state) {
                case MEMBER_START -> {
                    int b = peekByte();
                    if (b < 0) {
                        return;
                    }
                    if (b == 0 && members > 0) {
                        state = State.PADDING;
                    } else if (b == 0x1f || members == 0) {
                        startMember();
                    } else {
                        throw corrupt("trailing garbage after gzip member " + members
                                + " (byte 0x" + Integer.toHexString(b) + " is neither a gzip magic nor zero padding)");
                    }
                }
                case PADDING -> {
                    int b = readByte();
                    if (b < 0) {
                        return;
                    }
                    if (b != 0) {
                        throw corrupt("non-zero byte 0x" + Integer.toHexString(b) + " in trailing zero padding");
                    }
                }
                case INFLATE -> {
                    if (!inflate(out)) {
                        return;
                    }
                }
                case TRAILER -> {
                    if (!readTrailer()) {
                        return;
                    }
                }
                default -> {
                    if (!readHeader()) {
                        return;
                    }
                }
            }
        }
    }

    private void startMember() {
        state = State.FIXED_HEADER;
        fieldPos = 0;
        headerCrc.reset();
        contentCrc.reset();
        inflater.reset();
        memberSize = 0;
        textBytes = 0;
    }

    /** Advances through the header; false when input ran out. */
    private boolean readHeader() {
        while (state != State.INFLATE) {
            if (state == State.EXTRA && fieldPos < fieldLength) {
                ByteBuf chunk = head();
                if (chunk == null) {
                    return false;
                }
                int n = Math.min(chunk.readableBytes(), fieldLength - fieldPos);
                headerCrc.update(chunk.nioBuffer(chunk.readerIndex(), n));
                consume(chunk, n);
                fieldPos += n;
                continue;
            }
            int b;
            if (state == State.EXTRA) {
                b = -2; // field complete, no byte needed
            } else {
                b = readByte();
                if (b < 0) {
                    return false;
                }
                if (state != State.HEADER_CRC) {
                    headerCrc.update(b);
                }
            }
            headerByte(b);
        }
        return true;
    }

    private void headerByte(int b) {
        switch (state) {
            case FIXED_HEADER -> {
                fixedHeaderByte(fieldPos, b);
                if (++fieldPos == 10) {
                    fieldPos = 0;
                    nextField(0);
                }
            }
            case EXTRA_LENGTH -> {
                fieldLength |= b << (8 * fieldPos);
                if (++fieldPos == 2) {
                    fieldPos = 0;
                    checkHeaderSize(fieldLength);
                    state = State.EXTRA;
                }
            }
            case EXTRA -> nextField(1);
            case NAME, COMMENT -> {
                if (b == 0) {
                    nextField(state == State.NAME ? 2 : 3);
                } else {
                    checkHeaderSize(++textBytes);
                }
            }
            case HEADER_CRC -> {
                fieldLength |= b << (8 * fieldPos);
                if (++fieldPos == 2) {
                    int expected = (int) (headerCrc.getValue() & 0xFFFF);
                    if (fieldLength != expected) {
                        throw corrupt("gzip header CRC16 mismatch: header says 0x" + Integer.toHexString(fieldLength)
                                + ", computed 0x" + Integer.toHexString(expected));
                    }
                    state = State.INFLATE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void fixedHeaderByte(int pos, int b) {
        if (pos == 0 && b != 0x1f || pos == 1 && b != 0x8b) {
            throw corrupt(members == 0 ? "not a gzip stream (bad magic)" : "bad gzip magic in member " + (members + 1));
        }
        if (pos == 2 && b != 8) {
            throw corrupt("unsupported gzip compression method " + b + " (only 8, deflate)");
        }
        if (pos == 3) {
            if ((b & FRESERVED) != 0) {
                throw corrupt("gzip header has reserved flag bits set (0x" + Integer.toHexString(b) + ")");
            }
            flags = b;
        }
    }

    /**
     * Moves to the first optional header field, at or after {@code step} (0 FEXTRA, 1 FNAME,
     * 2 FCOMMENT, 3 FHCRC), that the flags announce; after the last one, to the deflate body.
     */
    private void nextField(int step) {
        fieldPos = 0;
        fieldLength = 0;
        textBytes = 0;
        if (step <= 0 && (flags & FEXTRA) != 0) {
            state = State.EXTRA_LENGTH;
        } else if (step <= 1 && (flags & FNAME) != 0) {
            state = State.NAME;
        } else if (step <= 2 && (flags & FCOMMENT) != 0) {
            state = State.COMMENT;
        } else if (step <= 3 && (flags & FHCRC) != 0) {
            state = State.HEADER_CRC;
        } else {
            state = State.INFLATE;
        }
    }

    private void checkHeaderSize(int bytes) {
        if (bytes > maxHeaderBytes()) {
            throw new LimitExceededException(subject + ": gzip header field of member " + (members + 1)
                    + " is longer than " + maxHeaderBytes() + " bytes (StreamLimits.maxHeaderBytes)");
        }
    }

    /** Inflates into {@code out} until it is full or the member's body ends; false when input ran out. */
    private boolean inflate(ByteBuf out) {
        while (out.isWritable()) {
            ByteBuf chunk = head();
            if (chunk == null) {
                return false;
            }
            int available = chunk.readableBytes();
            inflater.setInput(chunk.nioBuffer(chunk.readerIndex(), available));
            int start = out.writerIndex();
            int n;
            try {
                n = inflater.inflate(out.nioBuffer(start, out.writableBytes()));
            } catch (DataFormatException e) {
                throw corrupt("invalid deflate data in member " + (members + 1) + ": " + e.getMessage(), e);
            }
            consume(chunk, available - inflater.getRemaining());
            if (n > 0) {
                contentCrc.update(out.nioBuffer(start, n));
                out.writerIndex(start + n);
                memberSize += n;
            }
            if (inflater.finished()) {
                state = State.TRAILER;
                fieldPos = 0;
                trailer = 0;
                return true;
            }
            if (inflater.needsDictionary()) {
                throw corrupt("deflate stream asks for a preset dictionary, which gzip never uses");
            }
        }
        return true;
    }

    private boolean readTrailer() {
        while (fieldPos < 8) {
            int b = readByte();
            if (b < 0) {
                return false;
            }
            trailer |= (long) b << (8 * fieldPos++);
        }
        long crc = trailer & 0xFFFFFFFFL;
        long size = trailer >>> 32;
        if (crc != contentCrc.getValue()) {
            throw corrupt("CRC32 mismatch in member " + (members + 1) + ": trailer says "
                    + String.format("%08x", crc) + ", content has " + String.format("%08x", contentCrc.getValue()));
        }
        if (size != (memberSize & 0xFFFFFFFFL)) {
            throw corrupt("ISIZE mismatch in member " + (members + 1) + ": trailer says " + size
                    + ", content has " + memberSize + " bytes (mod 2^32)");
        }
        members++;
        state = State.MEMBER_START;
        return true;
    }

    @Override
    void checkComplete() {
        if (state == State.MEMBER_START && members > 0 || state == State.PADDING) {
            return;
        }
        throw corrupt(members == 0 && state == State.MEMBER_START ? "empty input, expected a gzip member"
                : "truncated gzip stream (ended in " + state.name().toLowerCase() + " of member " + (members + 1) + ")");
    }

    @Override
    void freeResources() {
        inflater.end();
    }
}
