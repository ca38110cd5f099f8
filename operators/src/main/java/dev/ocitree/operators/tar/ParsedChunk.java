package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import reactor.core.publisher.SynchronousSink;

/**
 * The events parsed from one input chunk, in order, or the failure the chunk revealed. Its own
 * (package-private) type so that the stage's discard hook for it cannot collide with anyone else's:
 * a {@code ParsedChunk} left in a queue on cancel or error is released through {@link #release()}.
 *
 * <p>Parsing never throws: a failure travels as a value to {@link #emitOrFail}, so the operator
 * that parses keeps consuming (and, through the failed parser, releasing) chunks that a source
 * still delivers after the stage has cancelled it.
 */
final class ParsedChunk implements Iterable<TarEvent> {

    private final List<TarEvent> events;
    private final RuntimeException failure;

    private ParsedChunk(List<TarEvent> events, RuntimeException failure) {
        this.events = events;
        this.failure = failure;
    }

    /** Feeds {@code chunk} (ownership passes to the parser) and collects every event it yields. */
    static ParsedChunk parse(TarPushParser parser, ByteBuf chunk) {
        try {
            parser.feed(chunk);
        } catch (RuntimeException e) {
            return new ParsedChunk(List.of(), e);
        }
        return drain(parser);
    }

    /** Signals the end of input and collects the remaining events (none for a well-formed archive). */
    static ParsedChunk finish(TarPushParser parser) {
        parser.endOfInput();
        return drain(parser);
    }

    private static ParsedChunk drain(TarPushParser parser) {
        List<TarEvent> events = new ArrayList<>();
        try {
            for (TarEvent e = parser.next(); e != TarPushParser.NEED_MORE_INPUT && e != null; e = parser.next()) {
                events.add(e);
            }
        } catch (RuntimeException e) {
            ParsedChunk failed = new ParsedChunk(events, e);
            failed.release();
            return new ParsedChunk(List.of(), e);
        }
        return new ParsedChunk(events, null);
    }

    /** For {@code handle}: passes the chunk on, or fails the stream with its failure. */
    static void emitOrFail(ParsedChunk chunk, SynchronousSink<ParsedChunk> sink) {
        if (chunk.failure != null) {
            sink.error(chunk.failure);
        } else if (!chunk.events.isEmpty()) {
            sink.next(chunk);
        }
    }

    /** Releases the content slices of events not emitted. */
    void release() {
        for (TarEvent e : events) {
            if (e instanceof TarEvent.Content c) {
                c.release();
            }
        }
    }

    @Override
    public Iterator<TarEvent> iterator() {
        return events.iterator();
    }

    @Override
    public Spliterator<TarEvent> spliterator() {
        return events.spliterator();
    }
}
