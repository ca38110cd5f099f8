package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;

/**
 * The events parsed from one input chunk, in order. Its own (package-private) type so that the
 * stage's discard hook for it cannot collide with anyone else's: a {@code ParsedChunk} left in a
 * queue on cancel or error is released through {@link #release()}.
 */
final class ParsedChunk implements Iterable<TarEvent> {

    private final List<TarEvent> events;

    private ParsedChunk(List<TarEvent> events) {
        this.events = events;
    }

    /** Feeds {@code chunk} (ownership passes to the parser) and collects every event it yields. */
    static ParsedChunk parse(TarPushParser parser, ByteBuf chunk) {
        parser.feed(chunk);
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
            new ParsedChunk(events).release();
            throw e;
        }
        return new ParsedChunk(events);
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
