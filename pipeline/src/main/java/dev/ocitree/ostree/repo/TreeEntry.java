package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;

/**
 * One entry of a commit's tree, as {@code ostree ls} shows it.
 *
 * @param path absolute path inside the commit ({@code /} for the root)
 * @param mode full {@code st_mode} (type and permission bits)
 * @param uid owner
 * @param gid group
 * @param size content size for regular files, 0 otherwise
 * @param checksum content object for files and symlinks, dirtree for directories
 * @param metaChecksum dirmeta for directories, null otherwise
 * @param symlinkTarget target of a symlink, null otherwise
 */
public record TreeEntry(String path, int mode, int uid, int gid, long size, Checksum checksum, Checksum metaChecksum,
        String symlinkTarget) {

    private static final int S_IFMT = 0170000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == 0040000;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == 0120000;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == 0100000;
    }

    /** The line {@code ostree ls} prints for this entry, e.g. {@code -00644 0 0     15 /hello.txt}. */
    public String lsLine() {
        char type = isDirectory() ? 'd' : isSymlink() ? 'l' : '-';
        String line = String.format("%c%05o %s %s %6d %s", type, mode & 07777, Integer.toUnsignedString(uid),
                Integer.toUnsignedString(gid), size, path);
        return isSymlink() ? line + " -> " + symlinkTarget : line;
    }
}
