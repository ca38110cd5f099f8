package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What {@link TarParser} emits for each entry, in order: one {@link Entry}, zero or more
 * {@link Content} slices (regular files only, together exactly {@link TarEntry#size()} bytes), one
 * {@link EntryEnd}. The end of the archive is the completion of the stream.
 */
public sealed interface TarEvent permits TarEvent.Entry, TarEvent.Content, TarEvent.EntryEnd {

    /** An entry's header, with PAX and GNU long name/link records applied. */
    record Entry(TarEntry entry) implements TarEvent {
        public Entry {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** All of the entry's content has been emitted. */
    record EntryEnd(TarEntry entry) implements TarEvent {
        public EntryEnd {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * A slice of the current entry's content: a retained slice of an input chunk (no copy).
     *
     * <p>Ownership: the <b>subscriber owns</b> {@link #data()} once it receives this event and must
     * release it, either through {@link #release()} or by handing {@code data()} to another owner. A
     * {@code Content} that is discarded (by an operator on cancel or error, e.g. from a
     * {@code publishOn} queue) must be released too: add
     * {@code .doOnDiscard(TarEvent.Content.class, TarEvent.Content::release)} below your operators.
     * {@link #release()} releases the data at most once, so several such discard hooks are harmless.
     */
    final class Content implements TarEvent {

        private static final AtomicIntegerFieldUpdater<Content> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Content.class, "released");

        private final ByteBuf data;
        private volatile int released;

        public Content(ByteBuf data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /** The content bytes, readable from its reader index; owned by the subscriber. */
        public ByteBuf data() {
            return data;
        }

        /**
         * Releases {@link #data()} once; later calls (e.g. from a second discard hook) do nothing.
         * Do not call it after passing {@code data()} to another owner.
         *
         * @return whether this call released the data
         */
        public boolean release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                data.release();
                return true;
            }
            return false;
        }

        @Override
        public String toString() {
            return "Content[" + data.readableBytes() + " bytes]";
        }
    }
}
