package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Flushes a file system to disk the way ostree ends a transaction: one {@code syncfs(2)} instead of
 * an fsync per object. Java has no syncfs, so it runs coreutils' {@code sync -f PATH}, which is
 * exactly that call; where {@code sync} is missing or fails, each of the given files is fsynced
 * instead (slower, same guarantee). Blocking.
 */
final class FileSystemSync {

    private static final long TIMEOUT_MINUTES = 30;
    private static volatile boolean syncCommandWorks = true;

    private FileSystemSync() {
    }

    /** Makes everything written to the file system of {@code path} durable. */
    static void sync(Path path, Supplier<List<Path>> files) throws IOException {
        if (syncCommandWorks && syncfs(path)) {
            return;
        }
        syncCommandWorks = false;
        for (Path p : files.get()) {
            if (Files.isSymbolicLink(p)) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    private static boolean syncfs(Path path) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("sync", "-f", path.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return false;
        }
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("sync -f " + path + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + path, e);
        }
        return p.exitValue() == 0;
    }
}
