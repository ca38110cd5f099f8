package dev.ocitree.operators.tar;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.OcitreeException;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A non-blocking tar parser in the style of Jackson's {@code NonBlockingJsonParser}: {@link #feed}
 * a chunk, call {@link #next()} until it returns {@link #NEED_MORE_INPUT}, feed the next chunk; after
 * the last chunk call {@link #endOfInput()} and {@link #next()} returns {@code null} once the archive
 * ended properly (or throws).
 *
 * <p>Only what cannot be sliced is copied: a header block split across chunks, and the content of
 * PAX and GNU long-name headers (at most {@link StreamLimits#maxHeaderBytes()}). Entry content is
 * emitted as {@link ByteBuf#retainedSlice retained slices} of the input.
 *
 * <p>Ownership: {@link #feed} takes ownership of the chunk; the parser releases it once consumed, or
 * on failure. Each {@link TarEvent.Content} returned owns its own retained slice. After a failure
 * the parser is in state {@link State#BAD_ARCHIVE}: it holds no buffer, and every later call throws
 * the same exception (a fed chunk is released first).
 *
 * <p>End of archive: two zero blocks, or (as GNU tar, Go and Python accept) end of input at a header
 * boundary, also after one zero block. A zero block followed by a non-zero block is an error (as in
 * Go's {@code archive/tar}), so nothing can hide behind a lone zero block; bytes after two zero
 * blocks (the usual padding to 10240 bytes) are consumed and ignored.
 *
 * <p>Not thread-safe: one instance per subscription, called serially.
 */
final class TarPushParser {

    static final int BLOCK = 512;

    /** Returned by {@link #next()} when the parser needs {@link #feed} or {@link #endOfInput()}. */
    static final TarEvent NEED_MORE_INPUT = new TarEvent.EntryEnd(new TarEntry("(need more input)",
            TarEntryType.REGULAR, 0, 0, 0, 0, "", "", 0, null, 0, 0, null, -1));

    /** The protocol step the parser resumes at. */
    enum State {
        /** Reading a 512-byte header block (or an end-of-archive zero block). */
        READ_HEADER,
        /** Reading the records of a PAX header ({@code 'x'} or {@code 'g'}). */
        READ_PAX,
        /** Reading a GNU long name ({@code 'L'}) or long link ({@code 'K'}). */
        READ_GNU_LONGNAME,
        /** Emitting the content of the current entry. */
        READ_CONTENT,
        /** Skipping the zero padding to the next 512-byte boundary. */
        SKIP_PADDING,
        /** After the end-of-archive blocks: remaining input is ignored. */
        END,
        /** Failed; stays failed. */
        BAD_ARCHIVE
    }

    private final StreamLimits limits;
    private final StrictUtf8 utf8 = new StrictUtf8();
    private final ExtendedHeaders extensions;
    private final byte[] header = new byte[BLOCK];

    private State state = State.READ_HEADER;
    private ByteBuf input;
    private boolean endOfInput;
    /** Stream offset of {@code input}'s reader index. */
    private long offset;
    private int headerFill;
    private int zeroBlocks;
    /** Entries emitted so far (extended headers not counted). */
    private long entries;
    /** Bytes left of the current content, extension data or padding. */
    private long remaining;
    private TarEntry current;
    private byte[] extData;
    private byte extType;
    private String extName;
    private long extOffset;
    private OcitreeException failure;

    private final TarFraming framing;

    TarPushParser(StreamLimits limits) {
        this(limits, TarFraming.NONE);
    }

    /** A parser that reports the stream's framing (all but file bodies) to {@code framing}. */
    TarPushParser(StreamLimits limits, TarFraming framing) {
        this.limits = limits;
        this.framing = framing;
        this.extensions = new ExtendedHeaders(limits, utf8);
    }

    State state() {
        return state;
    }

    /** Whether {@link #next()} cannot progress without {@link #feed} (or {@link #endOfInput()}). */
    boolean needsInput() {
        return input == null && !endOfInput && state != State.BAD_ARCHIVE;
    }

    /** Hands a chunk to the parser, which takes ownership of it. */
    void feed(ByteBuf chunk) {
        if (state == State.BAD_ARCHIVE) {
            chunk.release();
            throw failure;
        }
        if (input != null || endOfInput) {
            chunk.release();
            throw new IllegalStateException("feed() while the parser still holds input or after endOfInput()");
        }
        if (chunk.isReadable()) {
            input = chunk;
        } else {
            chunk.release();
        }
    }

    /** Marks the end of the tar stream. */
    void endOfInput() {
        endOfInput = true;
    }

    /**
     * The next event; {@link #NEED_MORE_INPUT} if input is needed; {@code null} when the archive has
     * ended and {@link #endOfInput()} was called.
     *
     * @throws TarFormatException     the archive is invalid or truncated
     * @throws LimitExceededException an entry exceeds the {@link StreamLimits}
     */
    TarEvent next() {
        if (state == State.BAD_ARCHIVE) {
            throw failure;
        }
        try {
            return advance();
        } catch (OcitreeException e) {
            fail(e);
            throw e;
        } catch (RuntimeException e) {
            OcitreeException wrapped = new TarFormatException(currentName(), offset, "cannot decode: " + e, e);
            fail(wrapped);
            throw wrapped;
        }
    }

    /** Releases everything held and enters {@link State#BAD_ARCHIVE}. */
    void fail(OcitreeException e) {
        state = State.BAD_ARCHIVE;
        failure = e;
        extData = null;
        current = null;
        if (input != null) {
            ByteBuf held = input;
            input = null;
            held.release();
        }
    }

    private TarEvent advance() {
        for (;;) {
            switch (state) {
                case READ_CONTENT -> {
                    if (remaining == 0) {
                        TarEntry done = current;
                        current = null;
                        remaining = padding(done.size());
                        state = State.SKIP_PADDING;
                        return new TarEvent.EntryEnd(done);
                    }
                    if (input == null) {
                        return needInput();
                    }
                    int n = (int) Math.min(remaining, input.readableBytes());
                    ByteBuf slice = input.retainedSlice(input.readerIndex(), n);
                    consume(n);
                    remaining -= n;
                    return new TarEvent.Content(slice);
                }
                case SKIP_PADDING -> {
                    if (remaining > 0) {
                        if (input == null) {
                            return needInput();
                        }
                        int n = (int) Math.min(remaining, input.readableBytes());
                        framing.framing(input.slice(input.readerIndex(), n));
                        consume(n);
                        remaining -= n;
                    }
                    if (remaining == 0) {
                        state = State.READ_HEADER;
                    }
                }
                case READ_HEADER -> {
                    if (!fillHeader()) {
                        return needInput();
                    }
                    framing.framing(header, 0, BLOCK);
                    TarEvent event = onHeader(offset - BLOCK);
                    if (event != null) {
                        return event;
                    }
                }
                case READ_PAX, READ_GNU_LONGNAME -> {
                    if (!fillExtension()) {
                        return needInput();
                    }
                    onExtension();
                }
                case END -> {
                    if (input != null) {
                        checkTotal(null, offset, offset + input.readableBytes());
                        framing.framing(input);
                        consume(input.readableBytes());
                    }
                    return endOfInput ? null : NEED_MORE_INPUT;
                }
                case BAD_ARCHIVE -> throw failure;
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** At end of input: the end of the archive, or a truncation error naming what was cut. */
    private TarEvent needInput() {
        if (!endOfInput) {
            return NEED_MORE_INPUT;
        }
        String reason = switch (state) {
            case READ_HEADER -> {
                if (headerFill == 0 && !extensions.pending()) {
                    state = State.END;
                    yield null;
                }
                yield headerFill > 0 ? "truncated: end of input inside a header block (" + headerFill + " of "
                        + BLOCK + " bytes)" : "truncated: end of input after an extended header, before its entry";
            }
            case READ_CONTENT -> "truncated: end of input with " + remaining + " of " + current.size()
                    + " content bytes missing";
            case SKIP_PADDING -> "truncated: end of input inside the padding after an entry";
            case READ_PAX, READ_GNU_LONGNAME -> "truncated: end of input with " + remaining
                    + " bytes of an extended header missing";
            default -> throw new IllegalStateException(state.name());
        };
        if (reason == null) {
            return null;
        }
        throw new TarFormatException(currentName(), offset, reason);
    }

    private String currentName() {
        if (current != null) {
            return current.path();
        }
        if (state == State.READ_PAX || state == State.READ_GNU_LONGNAME) {
            return extName;
        }
        if (headerFill > 0) {
            return rawName();
        }
        return extensions.pending() ? extName : null;
    }

    /** The NUL-terminated name field of the (partial) header block, for error messages. */
    private String rawName() {
        int end = 0;
        while (end < 100 && header[end] != 0) {
            end++;
        }
        return end == 0 ? null : new String(header, 0, end, StandardCharsets.UTF_8);
    }

    private boolean fillHeader() {
        if (input == null) {
            return false;
        }
        int n = Math.min(BLOCK - headerFill, input.readableBytes());
        input.getBytes(input.readerIndex(), header, headerFill, n);
        consume(n);
        headerFill += n;
        if (headerFill < BLOCK) {
            return false;
        }
        headerFill = 0;
        return true;
    }

    /** Handles a complete header block at {@code at}; returns the event to emit, or null to go on. */
    private TarEvent onHeader(long at) {
        if (isZeroBlock()) {
            if (extensions.pending()) {
                throw new TarFormatException(null, at, "zero block after an extended header, before its entry");
            }
            if (++zeroBlocks == 2) {
                state = State.END;
            }
            return null;
        }
        if (zeroBlocks > 0) {
            throw new TarFormatException(rawName(), at, "header after a lone zero block (end-of-archive marker)");
        }
        TarArchiveEntry decoded;
        try {
            decoded = new TarArchiveEntry(header, utf8, false);
        } catch (IOException | RuntimeException e) {
            if (!checksumValid()) {
                throw new TarFormatException(rawName(), at, "header checksum mismatch");
            }
            throw new TarFormatException(rawName(), at, "cannot decode header: " + e.getMessage(), e);
        }
        // commons-compress verifies the checksum while decoding (TarUtils.verifyCheckSum); not twice
        if (!decoded.isCheckSumOK()) {
            throw new TarFormatException(rawName(), at, "header checksum mismatch");
        }
        byte flag = decoded.getLinkFlag();
        if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
            startExtension(decoded, flag, at);
            return null;
        }
        TarEntry entry = extensions.entry(decoded, header, at);
        if (++entries > limits.maxLayerEntries()) {
            throw new LimitExceededException("tar entry '" + ExtendedHeaders.abbreviate(entry.path())
                    + "' at byte offset " + at + ": more than maxLayerEntries " + limits.maxLayerEntries()
                    + " entries in one archive");
        }
        checkTotal(entry.path(), at, offset + entry.size() + padding(entry.size()));
        current = entry;
        remaining = entry.size();
        state = State.READ_CONTENT;
        if (remaining > 0) {
            framing.body(entry);
        }
        return new TarEvent.Entry(entry);
    }

    /** Fails when the archive would reach {@code end} bytes, past {@link StreamLimits#maxLayerBytes()}. */
    private void checkTotal(String name, long at, long end) {
        if (end > limits.maxLayerBytes()) {
            throw new LimitExceededException((name == null ? "tar archive" : "tar entry '"
                    + ExtendedHeaders.abbreviate(name) + "'") + " at byte offset " + at + ": the archive would reach "
                    + end + " bytes, past maxLayerBytes " + limits.maxLayerBytes() + " (a decompression bomb?)");
        }
    }

    private boolean isZeroBlock() {
        for (int i = 0; i < BLOCK; i += 8) {
            if ((header[i] | header[i + 1] | header[i + 2] | header[i + 3] | header[i + 4] | header[i + 5]
                    | header[i + 6] | header[i + 7]) != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean checksumValid() {
        try {
            return TarUtils.verifyCheckSum(header);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void startExtension(TarArchiveEntry decoded, byte flag, long at) {
        long size = decoded.getSize();
        if (size > limits.maxHeaderBytes()) {
            throw new LimitExceededException("tar entry '" + ExtendedHeaders.abbreviate(decoded.getName())
                    + "' at byte offset " + at + ": " + (flag == 'x' || flag == 'g' ? "PAX" : "GNU long name")
                    + " header of " + size + " bytes exceeds maxHeaderBytes " + limits.maxHeaderBytes());
        }
        checkTotal(decoded.getName(), at, offset + size + padding(size));
        extData = new byte[(int) size];
        extType = flag;
        extName = decoded.getName();
        extOffset = at + BLOCK;
        remaining = size;
        state = flag == 'x' || flag == 'g' ? State.READ_PAX : State.READ_GNU_LONGNAME;
    }

    private boolean fillExtension() {
        if (remaining > 0) {
            if (input == null) {
                return false;
            }
            int filled = extData.length - (int) remaining;
            int n = (int) Math.min(remaining, input.readableBytes());
            input.getBytes(input.readerIndex(), extData, filled, n);
            consume(n);
            remaining -= n;
        }
        return remaining == 0;
    }

    private void onExtension() {
        byte[] data = extData;
        extData = null;
        framing.framing(data, 0, data.length);
        switch (extType) {
            case 'x' -> extensions.setLocal(data, extName, extOffset);
            case 'g' -> extensions.addGlobal(data, extName, extOffset);
            case 'L' -> extensions.setLongName(data, extName, extOffset);
            default -> extensions.setLongLink(data, extName, extOffset);
        }
        remaining = padding(data.length);
        state = State.SKIP_PADDING;
    }

    private void consume(int n) {
        input.skipBytes(n);
        offset += n;
        if (!input.isReadable()) {
            ByteBuf done = input;
            input = null;
            done.release();
        }
    }

    private static long padding(long size) {
        return (BLOCK - (size & (BLOCK - 1))) & (BLOCK - 1);
    }
}
