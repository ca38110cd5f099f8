package dev.ocitree.operators.tar;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;

/**
 * Ready-made stages over a tar event stream, for a pipeline of one's own (e.g.
 * {@code ImportOptions.tarStage}): they keep the event grammar (entry, content, end) and release
 * the content of what they drop.
 */
public final class TarStages {

    private TarStages() {
    }

    /**
     * Drops every entry {@code drop} accepts, with its content (released here) and its end event.
     * Dropping a directory entry drops only that entry, not what the archive has below it: test the
     * path prefix to drop a subtree.
     */
    public static Function<Flux<TarEvent>, Flux<TarEvent>> dropEntries(Predicate<TarEntry> drop) {
        Objects.requireNonNull(drop, "drop");
        return events -> Flux.defer(() -> {
            boolean[] dropping = new boolean[1];
            return events.filter(event -> {
                if (event instanceof TarEvent.Entry e) {
                    dropping[0] = drop.test(e.entry());
                    return !dropping[0];
                }
                if (dropping[0] && event instanceof TarEvent.Content c) {
                    c.release();
                }
                return !dropping[0];
            });
        });
    }

    /**
     * Rewrites each entry's metadata (owner, mode, name, xattrs...) with {@code rewrite}; its
     * content passes unchanged. The result must keep the entry's type and size.
     *
     * @throws IllegalArgumentException (as the error signal) when {@code rewrite} changes the type or size
     */
    public static Function<Flux<TarEvent>, Flux<TarEvent>> mapEntries(UnaryOperator<TarEntry> rewrite) {
        Objects.requireNonNull(rewrite, "rewrite");
        return events -> Flux.defer(() -> {
            TarEntry[] current = new TarEntry[1];
            return events.map(event -> {
                if (event instanceof TarEvent.Entry e) {
                    TarEntry to = rewrite.apply(e.entry());
                    if (to.type() != e.entry().type() || to.size() != e.entry().size()) {
                        throw new IllegalArgumentException("a rewrite of '" + e.entry().path()
                                + "' changed its type or size");
                    }
                    current[0] = to;
                    return new TarEvent.Entry(to);
                }
                if (event instanceof TarEvent.EntryEnd) {
                    return new TarEvent.EntryEnd(current[0]);
                }
                return event;
            });
        });
    }
}
