package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The repository lock, compatible with {@code ostree}'s: a whole-file lock on {@code REPO/.lock},
 * shared for transactions that add objects and refs, exclusive for operations that delete objects
 * (prune). ostree takes Linux open-file-description locks ({@code F_OFD_SETLK}); the JDK's
 * {@link FileChannel#tryLock} takes POSIX record locks, and the kernel makes the two kinds conflict,
 * so a real {@code ostree} and ocitree exclude each other (proved by RepoLockTest).
 *
 * <p>POSIX locks belong to the process and vanish when any descriptor of the file is closed, so the
 * JVM keeps exactly one open channel per lock file ({@link #REGISTRY}) and counts holders itself:
 * the first shared holder takes the OS lock, the last one releases it; an exclusive holder needs no
 * other holder in this JVM. Waiting polls with {@code tryLock} (never a blocking {@code lock()}) on
 * the repository's scheduler, like ostree's one-second retry loop, until the timeout.
 */
final class RepoLock {

    private static final ConcurrentMap<Path, RepoLock> REGISTRY = new ConcurrentHashMap<>();
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path repo;
    private final Path file;
    private FileChannel channel;
    private FileLock osLock;
    private int shared;
    private boolean exclusive;

    private RepoLock(Path repo, Path file) {
        this.repo = repo;
        this.file = file;
    }

    /** The lock of a repository (one per lock file in this JVM). */
    static RepoLock of(Path repo) {
        Path file = repo.toAbsolutePath().normalize().resolve(".lock");
        return REGISTRY.computeIfAbsent(file, f -> new RepoLock(repo, f));
    }

    /** A handle that releases what it acquired, once. */
    interface Held {
        void release();
    }

    /**
     * Acquires the lock, polling every 100 ms on {@code io} until {@code timeoutSeconds}; a negative
     * timeout means locking is disabled ({@code core.locking=false}).
     */
    Mono<Held> acquire(boolean wantExclusive, long timeoutSeconds, Scheduler io) {
        if (timeoutSeconds < 0) {
            return Mono.just(() -> { });
        }
        String wanted = wantExclusive ? "exclusive" : "shared";
        return Mono.defer(() -> poll(wantExclusive, System.nanoTime() + timeoutSeconds * 1_000_000_000L, io))
                .switchIfEmpty(Mono.error(() -> new RepoLockedException(repo, wanted, timeoutSeconds)));
    }

    private Mono<Held> poll(boolean wantExclusive, long deadline, Scheduler io) {
        return Mono.fromCallable(() -> tryAcquire(wantExclusive)).subscribeOn(io)
                .switchIfEmpty(Mono.defer(() -> System.nanoTime() - deadline >= 0 ? Mono.empty()
                        : Mono.delay(POLL).then(poll(wantExclusive, deadline, io))));
    }

    /** One non-blocking attempt: a handle, or null when another holder conflicts. Blocking (file I/O). */
    synchronized Held tryAcquire(boolean wantExclusive) {
        try {
            if (exclusive || (wantExclusive && shared > 0)) {
                return null;
            }
            if (shared == 0) {
                if (channel == null || !channel.isOpen()) {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                }
                osLock = channel.tryLock(0, Long.MAX_VALUE, !wantExclusive);
                if (osLock == null) {
                    return null;
                }
            }
            if (wantExclusive) {
                exclusive = true;
            } else {
                shared++;
            }
            return new Held() {
                private boolean done;

                @Override
                public void release() {
                    synchronized (RepoLock.this) {
                        if (!done) {
                            done = true;
                            releaseOne(wantExclusive);
                        }
                    }
                }
            };
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private void releaseOne(boolean wasExclusive) {
        if (wasExclusive) {
            exclusive = false;
        } else {
            shared--;
        }
        if (!exclusive && shared == 0 && osLock != null) {
            try {
                osLock.release();
            } catch (IOException e) {
                throw new RepositoryException(repo, "cannot unlock " + file + ": " + e.getMessage(), e);
            } finally {
                osLock = null;
            }
        }
    }
}
