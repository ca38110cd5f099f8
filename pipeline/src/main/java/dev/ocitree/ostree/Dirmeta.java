package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.GVariantException;
import dev.ocitree.ostree.gvariant.Variant;
import java.util.List;

/**
 * A directory's metadata object {@code (uuua(ayay))}: uid, gid and mode big-endian, then xattrs
 * (OSTREE-FORMAT.md §2.5). Its checksum is the SHA-256 of {@link #serialize()}.
 *
 * @param uid owner
 * @param gid group
 * @param mode {@code S_IFDIR} plus the 07777 permission bits
 * @param xattrs extended attributes (null means none)
 */
public record Dirmeta(int uid, int gid, int mode, Xattrs xattrs) {

    private static final String TYPE = "(uuua(ayay))";

    /**
     * @throws OstreeFormatException if the mode is not a directory or has bits outside 07777
     */
    public Dirmeta {
        if (xattrs == null) {
            xattrs = Xattrs.empty();
        }
        if ((mode & FileMeta.S_IFMT) != FileMeta.S_IFDIR || (mode & ~(FileMeta.S_IFMT | 07777)) != 0) {
            throw new OstreeFormatException("invalid directory mode 0" + Integer.toOctalString(mode)
                    + ": must be S_IFDIR (040000) plus permission bits 07777");
        }
    }

    /** A directory with permission bits {@code permissions} (at most 07777). */
    public static Dirmeta directory(int uid, int gid, int permissions, Xattrs xattrs) {
        FileMeta.checkPermissions(permissions);
        return new Dirmeta(uid, gid, FileMeta.S_IFDIR | permissions, xattrs);
    }

    /** The 07777 permission bits. */
    public int permissions() {
        return mode & 07777;
    }

    /**
     * As committing into {@code mode} stores it: bare-user-only → uid = gid = 0, mode masked with
     * {@code S_IFDIR | 0755}, no xattrs (OSTREE-FORMAT.md §3.5); other modes unchanged.
     */
    public Dirmeta canonical(RepoMode mode) {
        if (mode != RepoMode.BARE_USER_ONLY) {
            return this;
        }
        return new Dirmeta(0, 0, this.mode & (FileMeta.S_IFDIR | 0755), Xattrs.empty());
    }

    /** Normal-form bytes, as stored in {@code .dirmeta}. */
    public byte[] serialize() {
        return Variant.of(TYPE, List.of(Integer.reverseBytes(uid), Integer.reverseBytes(gid), Integer.reverseBytes(mode),
                xattrs.toGVariant())).serialize();
    }

    /** SHA-256 of {@link #serialize()}. */
    public Checksum checksum() {
        return Checksum.sha256(serialize());
    }

    /**
     * Parses a {@code .dirmeta} object.
     *
     * @throws GVariantException if the bytes are truncated or not in normal form
     * @throws OstreeFormatException if the mode is not a directory or an xattr name is malformed
     */
    public static Dirmeta parse(byte[] serialized) {
        List<?> v = (List<?>) Variant.parse(TYPE, serialized).value();
        try {
            return new Dirmeta(Integer.reverseBytes((Integer) v.get(0)), Integer.reverseBytes((Integer) v.get(1)),
                    Integer.reverseBytes((Integer) v.get(2)), Xattrs.fromGVariant(v.get(3)));
        } catch (OstreeFormatException e) {
            throw new OstreeFormatException("invalid dirmeta: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Dirmeta[" + Integer.toUnsignedString(uid) + ":" + Integer.toUnsignedString(gid) + " 0"
                + Integer.toOctalString(mode) + (xattrs.isEmpty() ? "" : " " + xattrs) + "]";
    }
}
