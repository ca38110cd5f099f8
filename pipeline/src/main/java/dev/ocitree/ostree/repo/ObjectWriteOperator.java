package dev.ocitree.ostree.repo;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The write stage: turns a layer's {@link TarEvent}s into stored objects and emits one
 * {@link StoredEntry} per tar entry, in archive order. An operator of its own (subscriber and
 * subscription in one, a work-in-progress drain loop like reactor-core's {@code publishOn}), not a
 * publisher per entry: the cost per entry is a queue offer and a task handed to the scheduler.
 *
 * <ul>
 *   <li><b>Writes.</b> Each object (a regular file up to {@link ObjectWriter#INLINE_LIMIT} bytes,
 *       gathered as its content slices, a symlink, a dirmeta) is hashed and written by one task on
 *       the transaction's scheduler; larger files are streamed by a serial chain of tasks, one per
 *       chunk. Tasks of different entries run concurrently; results are emitted in archive order.</li>
 *   <li><b>Demand.</b> Upstream is asked for more events only while fewer than
 *       {@code maxInFlight} writes (and streamed chunks) are running or queued, and while fewer than
 *       {@link #MAX_QUEUED} entries wait for downstream demand: memory is bounded by those two
 *       figures and the chunk size, not by the layer.</li>
 *   <li><b>Never blocks</b> the thread that signals it: every file-system call runs in a task on the
 *       scheduler, and an object that another writer is storing at the same moment is awaited through
 *       that writer's completion, not by waiting.</li>
 *   <li><b>Buffers.</b> Every {@link TarEvent.Content} received is owned here: its data goes to a
 *       write task, which releases it, or is released here on error and cancellation, also when it
 *       arrives after the end.</li>
 * </ul>
 */
final class ObjectWriteOperator extends FluxOperator<TarEvent, StoredEntry> {

    /** Entries that may wait (written, not yet requested downstream) before upstream is paused. */
    static final int MAX_QUEUED = 256;

    private final ObjectWriter writer;
    private final RepoMode mode;
    private final Scheduler scheduler;
    private final int maxInFlight;

    ObjectWriteOperator(Flux<? extends TarEvent> source, ObjectWriter writer, RepoMode mode, Scheduler scheduler,
            int maxInFlight) {
        super(source);
        this.writer = writer;
        this.mode = mode;
        this.scheduler = scheduler;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void subscribe(CoreSubscriber<? super StoredEntry> actual) {
        source.subscribe(new WriteSubscriber(actual));
    }

    /** One entry's place in the output order; {@code done} once its object is stored. */
    private static final class Slot {
        final TarEntry entry;
        Checksum object;
        volatile boolean done;

        Slot(TarEntry entry) {
            this.entry = entry;
        }

        StoredEntry stored() {
            return new StoredEntry(entry, object);
        }
    }

    private final class WriteSubscriber implements CoreSubscriber<TarEvent>, Subscription {

        private final CoreSubscriber<? super StoredEntry> actual;
        private final Queue<TarEvent> events = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicLong upstreamPending = new AtomicLong();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private Subscription upstream;
        private volatile boolean upstreamDone;
        private volatile boolean cancelled;

        // touched only inside the drain loop
        private final ArrayDeque<Slot> slots = new ArrayDeque<>();
        private boolean terminated;
        private TarEntry current;
        private Slot currentSlot;
        private List<ByteBuf> gathered;
        private LargeWrite large;

        WriteSubscriber(CoreSubscriber<? super StoredEntry> actual) {
            this.actual = actual;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
                drain();
            }
        }

        @Override
        public void onNext(TarEvent event) {
            if (upstreamDone) {
                release(event);
                Operators.onNextDropped(event, actual.currentContext());
                return;
            }
            upstreamPending.decrementAndGet();
            events.offer(event);
            drain();
        }

        @Override
        public void onError(Throwable t) {
            if (upstreamDone) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            error.compareAndSet(null, t);
            upstreamDone = true;
            drain();
        }

        @Override
        public void onComplete() {
            upstreamDone = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
                drain();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                upstream.cancel();
                drain();
            }
        }

        /** A write is over: its result is recorded (or the stage fails) and the loop runs again. */
        private void finished(Slot slot, Checksum object, Throwable failure) {
            if (failure != null) {
                error.compareAndSet(null, failure);
            } else {
                slot.object = object;
                slot.done = true;
            }
            inFlight.decrementAndGet();
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                drainOnce();
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void drainOnce() {
            while (true) {
                if (terminated) {
                    releaseQueuedEvents();
                    return;
                }
                if (cancelled) {
                    terminated = true;
                    cleanUp();
                    return;
                }
                Throwable failure = error.get();
                if (failure != null) {
                    terminated = true;
                    upstream.cancel();
                    cleanUp();
                    actual.onError(failure);
                    return;
                }
                TarEvent event;
                while (error.get() == null && (event = events.poll()) != null) {
                    try {
                        handle(event);
                    } catch (RuntimeException e) {
                        error.compareAndSet(null, e);
                    }
                }
                if (error.get() != null) {
                    continue;
                }
                long r = requested.get();
                long emitted = 0;
                while (emitted != r && !cancelled && !slots.isEmpty() && slots.peek().done) {
                    actual.onNext(slots.poll().stored());
                    emitted++;
                }
                if (emitted != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-emitted);
                }
                if (cancelled || error.get() != null) {
                    continue;
                }
                if (upstreamDone) {
                    if (events.isEmpty()) {
                        if (current != null) {
                            error.compareAndSet(null, new IllegalStateException(
                                    "the tar stream ended inside entry '" + current.path() + "'"));
                            continue;
                        }
                        if (slots.isEmpty()) {
                            terminated = true;
                            actual.onComplete();
                        }
                    }
                    return;
                }
                long want = maxInFlight - inFlight.get() - upstreamPending.get();
                if (want > 0 && slots.size() < MAX_QUEUED) {
                    upstreamPending.addAndGet(want);
                    upstream.request(want);
                }
                return;
            }
        }

        private void handle(TarEvent event) {
            if (event instanceof TarEvent.Content c) {
                content(c);
            } else if (event instanceof TarEvent.Entry e) {
                begin(e.entry());
            } else {
                current = null;
                currentSlot = null;
                if (gathered != null) {
                    List<ByteBuf> chunks = gathered;
                    gathered = null;
                    TarEntry e = ((TarEvent.EntryEnd) event).entry();
                    FileMeta meta = regularMeta(e);
                    submit(slots.peekLast(), () -> {
                        try {
                            return writer.writeFile(meta, e.size(), chunks);
                        } finally {
                            chunks.forEach(ByteBuf::release);
                        }
                    }, chunks);
                } else if (large != null) {
                    large.finish();
                    large = null;
                }
            }
        }

        private void begin(TarEntry e) {
            if (current != null) {
                throw new IllegalStateException("entry '" + e.path() + "' began inside entry '" + current.path() + "'");
            }
            current = e;
            Slot slot = new Slot(e);
            slots.add(slot);
            currentSlot = slot;
            switch (e.type()) {
                case REGULAR -> {
                    if (e.size() <= ObjectWriter.INLINE_LIMIT) {
                        gathered = new ArrayList<>(e.size() <= 64 * 1024 ? 2 : 17);
                    } else {
                        large = new LargeWrite(this, slot, regularMeta(e), e.size());
                    }
                }
                case SYMLINK -> {
                    FileMeta meta = FileMeta.symlink((int) e.uid(), (int) e.gid(), e.linkTarget(), xattrs(e));
                    submit(slot, () -> writer.writeFile(meta, 0, List.of()), List.of());
                }
                case DIRECTORY -> {
                    Dirmeta meta = Dirmeta.directory((int) e.uid(), (int) e.gid(), e.mode() & 07777, xattrs(e));
                    submit(slot, () -> writer.writeDirmeta(meta), List.of());
                }
                default -> slot.done = true;
            }
        }

        private void content(TarEvent.Content c) {
            if (gathered != null) {
                gathered.add(c.data());
            } else if (large != null) {
                large.write(c.data());
            } else {
                c.release();
                throw new IllegalStateException("content outside a regular file"
                        + (current == null ? "" : " (in '" + current.path() + "')"));
            }
        }

        /** Hands a write to the scheduler; {@code owned} is released if the scheduler refuses it. */
        private void submit(Slot slot, Supplier<ObjectWriter.Written> work, List<ByteBuf> owned) {
            inFlight.incrementAndGet();
            try {
                scheduler.schedule(() -> run(slot, work));
            } catch (RejectedExecutionException e) {
                owned.forEach(ByteBuf::release);
                finished(slot, null, e);
            }
        }

        private void run(Slot slot, Supplier<ObjectWriter.Written> work) {
            ObjectWriter.Written written;
            try {
                written = work.get();
            } catch (Throwable t) {
                finished(slot, null, t);
                return;
            }
            complete(slot, written);
        }

        /** Records a write, now or when the concurrent writer of the same object is done. */
        void complete(Slot slot, ObjectWriter.Written written) {
            if (written.pending() == null) {
                finished(slot, written.checksum(), null);
            } else {
                written.pending().whenComplete((v, t) -> finished(slot, written.checksum(), t == null ? null
                        : new IllegalStateException("a concurrent write of object " + written.checksum().hex()
                                + " failed", t)));
            }
        }

        private void cleanUp() {
            releaseQueuedEvents();
            if (gathered != null) {
                gathered.forEach(ByteBuf::release);
                gathered = null;
            }
            if (large != null) {
                large.abort();
                large = null;
            }
            slots.clear();
            current = null;
        }

        private void releaseQueuedEvents() {
            TarEvent event;
            while ((event = events.poll()) != null) {
                release(event);
            }
        }
    }

    /**
     * A regular file too large to gather: its chunks are written in order by a serial chain of
     * tasks on the scheduler (a task runs while there is work queued, one at a time).
     */
    private final class LargeWrite implements Runnable {
        private static final Object FINISH = new Object();
        private static final Object ABORT = new Object();

        private final WriteSubscriber stage;
        private final Slot slot;
        private final FileMeta meta;
        private final long size;
        private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger wip = new AtomicInteger();
        // touched only by the running task
        private ObjectWriter.Upload upload;
        private boolean closed;

        LargeWrite(WriteSubscriber stage, Slot slot, FileMeta meta, long size) {
            this.stage = stage;
            this.slot = slot;
            this.meta = meta;
            this.size = size;
        }

        void write(ByteBuf chunk) {
            stage.inFlight.incrementAndGet();
            offer(chunk);
        }

        void finish() {
            stage.inFlight.incrementAndGet();
            offer(FINISH);
        }

        void abort() {
            offer(ABORT);
        }

        private void offer(Object work) {
            queue.offer(work);
            if (wip.getAndIncrement() == 0) {
                try {
                    scheduler.schedule(this);
                } catch (RejectedExecutionException e) {
                    closed = true;
                    stage.error.compareAndSet(null, e);
                    run();
                }
            }
        }

        @Override
        public void run() {
            int missed = 1;
            do {
                Object work;
                while ((work = queue.poll()) != null) {
                    process(work);
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void process(Object work) {
            if (work == ABORT) {
                closed = true;
                if (upload != null) {
                    upload.abort();
                }
                return;
            }
            if (closed) {
                if (work instanceof ByteBuf chunk) {
                    chunk.release();
                }
                stage.inFlight.decrementAndGet();
                stage.drain();
                return;
            }
            try {
                if (upload == null) {
                    upload = writer.beginFile(meta, size);
                }
                if (work instanceof ByteBuf chunk) {
                    try {
                        upload.write(chunk);
                    } finally {
                        chunk.release();
                    }
                    stage.inFlight.decrementAndGet();
                    stage.drain();
                } else {
                    closed = true;
                    stage.complete(slot, upload.finish());
                }
            } catch (Throwable t) {
                closed = true;
                if (upload != null) {
                    upload.abort();
                }
                stage.finished(slot, null, t);
            }
        }
    }

    private static void release(TarEvent event) {
        if (event instanceof TarEvent.Content c) {
            c.release();
        }
    }

    private static FileMeta regularMeta(TarEntry e) {
        return FileMeta.regular((int) e.uid(), (int) e.gid(), e.mode() & 07777, xattrs(e));
    }

    private static Xattrs xattrs(TarEntry e) {
        return e.xattrs().isEmpty() ? Xattrs.empty() : Xattrs.of(e.xattrs());
    }
}
