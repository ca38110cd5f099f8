package dev.ocitree.cli;

import java.io.PrintStream;
import reactor.core.scheduler.Schedulers;

/**
 * Ends the process when a JVM error ({@link VirtualMachineError}: out of memory, stack overflow)
 * hits a worker thread. Reactor does not hand such errors to subscribers (it rethrows them on the
 * worker), so without this {@code main} would wait forever for a result that never comes. Prints
 * one {@code error:} line and halts with exit code 3; the staging area left behind is removed by
 * the next write or prune, as after a kill.
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
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof VirtualMachineError) {
                err.println("error: " + (t instanceof OutOfMemoryError ? "out of memory" : t.getClass().getSimpleName())
                        + " in thread " + thread.getName() + " (" + t.getMessage() + "); raise OCITREE_HEAP or lower"
                        + " --concurrency");
                err.flush();
                Runtime.getRuntime().halt(EXIT_CODE);
            }
        }
    }
}
