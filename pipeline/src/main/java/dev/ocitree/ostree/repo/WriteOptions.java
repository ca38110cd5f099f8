package dev.ocitree.ostree.repo;

import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * How a {@link Transaction} writes; immutable, every setter returns a new instance and validates.
 *
 * <pre>{@code
 * WriteOptions.defaults().scheduler(myBoundedScheduler).writesInFlight(32)
 * }</pre>
 */
public final class WriteOptions {

    private static final WriteOptions DEFAULTS = new WriteOptions(null, 64);

    private final Scheduler scheduler;
    private final int writesInFlight;

    private WriteOptions(Scheduler scheduler, int writesInFlight) {
        this.scheduler = scheduler;
        this.writesInFlight = writesInFlight;
    }

    /** The repository's own scheduler, 64 writes in flight per write stage. */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The scheduler that runs every file-system call of the transaction (object writes, commits,
     * refs, the lock): it must allow blocking (a bounded elastic scheduler or a fixed pool), never an
     * event loop or {@code Schedulers.parallel()}. {@code null}: the repository's own threads.
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    public WriteOptions scheduler(Scheduler s) {
        return new WriteOptions(Objects.requireNonNull(s, "scheduler"), writesInFlight);
    }

    /**
     * Object writes (and chunks of large files) one write stage keeps running or queued on the
     * scheduler; upstream is asked for more tar events only below this figure.
     */
    public int writesInFlight() {
        return writesInFlight;
    }

    public WriteOptions writesInFlight(int writes) {
        if (writes < 1) {
            throw new IllegalArgumentException("writesInFlight must be at least 1, was " + writes);
        }
        return new WriteOptions(scheduler, writes);
    }

    @Override
    public String toString() {
        return "WriteOptions{scheduler=" + scheduler + ", writesInFlight=" + writesInFlight + '}';
    }
}
