package dev.ocitree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether another process holds a lock on a repository's {@code .lock} file, read from
 * {@code /proc/locks} (POSIX, OFD and flock locks alike) without touching the file, so a command
 * about to wait for the lock can say so. Linux only; elsewhere, or when unsure, "no". Blocking.
 */
final class RepoLockProbe {

    private RepoLockProbe() {
    }

    /**
     * Whether another process holds a lock that makes a {@code wantExclusive} (prune) or shared
     * (import) request wait: any lock for the former, an exclusive ({@code WRITE}) one for the
     * latter. Call before this process takes any lock on the repository: every lock listed is
     * someone else's.
     */
    static boolean blocks(Path repo, boolean wantExclusive) {
        try {
            Path lock = repo.resolve(".lock");
            if (!Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            long inode = ((Number) Files.getAttribute(lock, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            return held(Files.readAllLines(Path.of("/proc/locks")), inode, wantExclusive);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /**
     * Whether a line of {@code /proc/locks} ({@code 1: OFDLCK ADVISORY READ -1 08:01:1234 0 EOF})
     * names the inode with a conflicting lock ({@code WRITE}, or any when {@code wantExclusive}).
     */
    static boolean held(List<String> procLocks, long inode, boolean wantExclusive) {
        for (String line : procLocks) {
            List<String> fields = List.of(line.trim().split("\\s+"));
            boolean conflicts = wantExclusive || fields.contains("WRITE");
            for (String field : fields) {
                int last = field.lastIndexOf(':');
                if (conflicts && last > 0 && field.indexOf(':') < last
                        && field.substring(last + 1).equals(Long.toString(inode))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The line a command prints before it waits. */
    static String waitingMessage(Path repo) {
        return "waiting for the repository lock: another process (an import, a prune, ostree) holds "
                + CliText.escape(repo.resolve(".lock").toString()) + " (up to core.lock-timeout-secs, 30 s)";
    }
}
