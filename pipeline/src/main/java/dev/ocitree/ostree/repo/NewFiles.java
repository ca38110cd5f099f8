package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files the repository creates in its staging area, with as few system calls as the JDK allows:
 * the mode is given at creation and set again only when the process umask would have cleared some
 * of its bits, and mode and mtime are set by path. The JDK's {@code NOFOLLOW_LINKS} attribute calls
 * and {@code Files.setLastModifiedTime} open the file once more for each call, and those opens were
 * most of an import's file-system time. Blocking.
 */
final class NewFiles {

    /** The process umask read from {@code /proc/self/status}; all bits (always chmod) when unknown. */
    private static final int UMASK = readUmask();

    private NewFiles() {
    }

    /** Creates {@code file} (it must not exist) for writing, with mode {@code perms} as far as the umask allows. */
    static FileChannel create(Path file, int perms) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(permissions(perms));
        return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
    }

    /**
     * Gives a file made by {@link #create} exactly {@code perms} (setuid, setgid and sticky bits
     * included), when creation could not. The file is a regular file of ours: set by path.
     */
    static void finishMode(Path file, int perms) throws IOException {
        if ((perms & ~0777) != 0 || (perms & UMASK) != 0) {
            Files.setAttribute(file, "unix:mode", perms & 07777);
        }
    }

    /** Sets the modification time of a regular file of ours to the epoch (ostree's bare objects). */
    static void zeroMtime(Path file) throws IOException {
        if (!file.toFile().setLastModified(0)) {
            throw new IOException("cannot set the modification time of " + file);
        }
    }

    private static Set<PosixFilePermission> permissions(int perms) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((perms & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an old kernel: chmod every file
        }
        return 07777;
    }
}
