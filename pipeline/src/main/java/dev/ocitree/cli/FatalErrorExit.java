package dev.ocitree.cli;

import java.io.PrintStream;
import reactor.core.scheduler.Schedulers;

/**
 * Ends the process when a JVM error ({@link VirtualMachineError}: out of memory, stack overflow)
 * hits a worker thread. Reactor does not hand such errors to subscribers (it rethrows them on the
 * worker), so without this {@code main} would wait forever for a result that never comes. Prints
 * one {@code error:} line and halts with exit code 3; the staging area left behind is removed by
 * the next write or prune, as after a kill. A JVM error that a pipeline stage caught and handed to
 * its subscriber reaches the command instead: {@link OcitreeCommand} reports it with the same
 * words and the same exit code (where an out-of-memory error lands depends on which allocation
 * failed, and the user should not have to care).
 */
final class FatalErrorExit {

    static final int EXIT_CODE = 3;

    private FatalErrorExit() {
    }

    /** Installs the handler for Reactor's workers and every other thread. */
    static void install(PrintStream err) {
        Schedulers.onHandleError(FatalErrorExit.class.getName(), (thread, error) -> onError(thread, error, err));
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            onError(thread, error, err);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            }
        });
    }

    private static void onError(Thread thread, Throwable error, PrintStream err) {
        VirtualMachineError fatal = find(error);
        if (fatal != null) {
            err.println("error: " + message(fatal, "in thread " + thread.getName()));
            err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** The JVM error in {@code error}'s cause chain, or null. */
    static VirtualMachineError find(Throwable error) {
        for (Throwable t = error; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof VirtualMachineError fatal) {
                return fatal;
            }
        }
        return null;
    }

    /**
     * {@code out of memory WHERE (Java heap space); raise OCITREE_HEAP or lower --concurrency}: the
     * same words whether the error reached a worker's handler or, through a pipeline, the command.
     */
    static String message(VirtualMachineError fatal, String where) {
        return (fatal instanceof OutOfMemoryError ? "out of memory" : fatal.getClass().getSimpleName()) + " " + where
                + " (" + fatal.getMessage() + "); raise OCITREE_HEAP or lower --concurrency";
    }
}
