package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The metadata of a content object — a regular file or a symlink (OSTREE-FORMAT.md §2.3). Together
 * with the content bytes it determines the object's checksum.
 *
 * @param uid owner (unsigned 32-bit, stored in the int's bits)
 * @param gid group (unsigned 32-bit)
 * @param mode the full {@code st_mode}: {@link #S_IFREG} or {@link #S_IFLNK} plus the 07777 bits
 * @param symlinkTarget the link target for a symlink, null for a regular file
 * @param xattrs extended attributes in the order they are hashed (null means none)
 */
public record FileMeta(int uid, int gid, int mode, String symlinkTarget, Xattrs xattrs) {

    /** File type mask of {@code st_mode}. */
    public static final int S_IFMT = 0170000;
    /** Regular file. */
    public static final int S_IFREG = 0100000;
    /** Symbolic link. */
    public static final int S_IFLNK = 0120000;
    /** Directory (used by {@link Dirmeta}). */
    public static final int S_IFDIR = 0040000;

    /**
     * Validates the fields.
     *
     * @throws OstreeFormatException if the mode is not a regular file or symlink (devices, FIFOs
     *     and sockets cannot be stored), has bits outside 07777, or the target does not fit the type
     */
    public FileMeta {
        if (xattrs == null) {
            xattrs = Xattrs.empty();
        }
        int type = mode & S_IFMT;
        if ((mode & ~(S_IFMT | 07777)) != 0) {
            throw new OstreeFormatException("invalid file mode 0" + Integer.toOctalString(mode)
                    + ": only the file type and the 07777 permission bits may be set");
        }
        if (type == S_IFREG) {
            if (symlinkTarget != null) {
                throw new OstreeFormatException("regular file (mode 0" + Integer.toOctalString(mode)
                        + ") cannot have a symlink target '" + symlinkTarget + "'");
            }
        } else if (type == S_IFLNK) {
            if (symlinkTarget == null || symlinkTarget.isEmpty() || symlinkTarget.indexOf('\0') >= 0) {
                throw new OstreeFormatException("symlink needs a non-empty target without NUL, got "
                        + (symlinkTarget == null ? "none" : "'" + symlinkTarget.replace("\0", "\\0") + "'"));
            }
        } else {
            throw new OstreeFormatException("file mode 0" + Integer.toOctalString(mode) + " is a " + typeName(type)
                    + ": OSTree stores only regular files and symlinks (devices, FIFOs and sockets are not representable)");
        }
    }

    /** A regular file with permission bits {@code permissions} (at most 07777). */
    public static FileMeta regular(int uid, int gid, int permissions, Xattrs xattrs) {
        checkPermissions(permissions);
        return new FileMeta(uid, gid, S_IFREG | permissions, null, xattrs);
    }

    /** A symlink (mode 0120777, as {@code lstat} reports on Linux). */
    public static FileMeta symlink(int uid, int gid, String target, Xattrs xattrs) {
        return new FileMeta(uid, gid, S_IFLNK | 0777, target, xattrs);
    }

    static void checkPermissions(int permissions) {
        if ((permissions & ~07777) != 0) {
            throw new OstreeFormatException("invalid permission bits 0" + Integer.toOctalString(permissions)
                    + ": at most 07777");
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0010000 -> "FIFO";
            case 0140000 -> "socket";
            case S_IFDIR -> "directory";
            default -> "file of unknown type";
        };
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The 07777 permission bits. */
    public int permissions() {
        return mode & 07777;
    }

    /**
     * The metadata as committing into a repository of {@code mode} hashes it: for
     * {@link RepoMode#BARE_USER_ONLY}, uid = gid = 0, no xattrs, and a regular file's mode masked with
     * {@code S_IFREG | 0755} (symlinks keep 0777) — OSTREE-FORMAT.md §3.5. Other modes: unchanged.
     */
    public FileMeta canonical(RepoMode mode) {
        if (mode != RepoMode.BARE_USER_ONLY) {
            return this;
        }
        int m = isSymlink() ? this.mode : this.mode & (S_IFREG | 0755);
        if (uid == 0 && gid == 0 && m == this.mode && xattrs.isEmpty()) {
            return this;
        }
        return new FileMeta(0, 0, m, symlinkTarget, Xattrs.empty());
    }

    /**
     * The value of the {@code user.ostreemeta} xattr of a bare-user object: {@code (uuua(ayay))}
     * with uid, gid and the full mode big-endian, then the xattrs.
     */
    public byte[] bareUserMeta() {
        return Variant.of("(uuua(ayay))", List.of(Integer.reverseBytes(uid), Integer.reverseBytes(gid),
                Integer.reverseBytes(mode), xattrs.toGVariant())).serialize();
    }

    /**
     * Rebuilds the metadata of a bare-user object from its {@code user.ostreemeta} value; for a
     * symlink, {@code symlinkTarget} is the object's content without its trailing NUL.
     *
     * @throws OstreeFormatException if the value is malformed or the mode does not match the target
     */
    public static FileMeta fromBareUserMeta(byte[] ostreemeta, String symlinkTarget) {
        List<?> v = (List<?>) Variant.parse("(uuua(ayay))", ostreemeta).value();
        int mode = Integer.reverseBytes((Integer) v.get(2));
        return new FileMeta(Integer.reverseBytes((Integer) v.get(0)), Integer.reverseBytes((Integer) v.get(1)), mode,
                (mode & S_IFMT) == S_IFLNK ? symlinkTarget : null, Xattrs.fromGVariant(v.get(3)));
    }

    /**
     * Permission bits of the file a bare-user repository stores: {@code (mode & 0775) | 0400} for a
     * regular file (never setuid), 0644 for the regular file that holds a symlink's target.
     */
    public int bareUserStoredPermissions() {
        return isSymlink() ? 0644 : (mode & 0775) | 0400;
    }

    /** The content of the regular file that stands for a symlink in a bare-user repository: target + NUL. */
    public byte[] bareUserSymlinkContent() {
        if (!isSymlink()) {
            throw new IllegalStateException("not a symlink: " + this);
        }
        byte[] t = symlinkTarget.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(t, t.length + 1);
    }

    /**
     * The bytes hashed before the content: {@code u32 BE length}, four zero bytes, then the
     * {@code (uuuusa(ayay))} header (uid, gid, mode, rdev = 0 big-endian; target or "").
     */
    public byte[] fileHeader() {
        return lengthPrefixed(Variant.of("(uuuusa(ayay))", List.of(Integer.reverseBytes(uid), Integer.reverseBytes(gid),
                Integer.reverseBytes(mode), 0, targetOrEmpty(), xattrs.toGVariant())).serialize());
    }

    /**
     * The header of an archive-mode {@code .filez}: length prefix, then {@code (tuuuusa(ayay))}
     * with the uncompressed size first (0 for a symlink).
     */
    public byte[] archiveHeader(long size) {
        return lengthPrefixed(Variant.of("(tuuuusa(ayay))", List.of(Long.reverseBytes(size), Integer.reverseBytes(uid),
                Integer.reverseBytes(gid), Integer.reverseBytes(mode), 0, targetOrEmpty(), xattrs.toGVariant())).serialize());
    }

    private String targetOrEmpty() {
        return symlinkTarget == null ? "" : symlinkTarget;
    }

    /**
     * Builds metadata from the fields of a stored header, applying ostree's checks (rdev must be 0,
     * mode a regular file or symlink).
     */
    static FileMeta fromHeader(int uidBE, int gidBE, int modeBE, int rdevBE, String target, Object xattrs, String what) {
        if (rdevBE != 0) {
            throw new OstreeFormatException(what + ": invalid rdev " + Integer.toUnsignedString(Integer.reverseBytes(rdevBE))
                    + " (must be 0)");
        }
        int mode = Integer.reverseBytes(modeBE);
        boolean link = (mode & S_IFMT) == S_IFLNK;
        if (!link && !target.isEmpty()) {
            throw new OstreeFormatException(what + ": symlink target '" + target + "' on a non-symlink");
        }
        try {
            return new FileMeta(Integer.reverseBytes(uidBE), Integer.reverseBytes(gidBE), mode, link ? target : null,
                    Xattrs.fromGVariant(xattrs));
        } catch (OstreeFormatException e) {
            throw new OstreeFormatException(what + ": " + e.getMessage(), e);
        }
    }

    static byte[] lengthPrefixed(byte[] variant) {
        byte[] out = new byte[8 + variant.length];
        int l = variant.length;
        out[0] = (byte) (l >>> 24);
        out[1] = (byte) (l >>> 16);
        out[2] = (byte) (l >>> 8);
        out[3] = (byte) l;
        System.arraycopy(variant, 0, out, 8, variant.length);
        return out;
    }

    @Override
    public String toString() {
        return "FileMeta[" + Integer.toUnsignedString(uid) + ":" + Integer.toUnsignedString(gid) + " 0"
                + Integer.toOctalString(mode) + (symlinkTarget != null ? " -> " + symlinkTarget : "")
                + (xattrs.isEmpty() ? "" : " " + xattrs) + "]";
    }
}
