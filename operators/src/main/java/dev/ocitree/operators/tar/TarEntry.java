package dev.ocitree.operators.tar;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One tar entry's metadata, with PAX ({@code x} and {@code g}) and GNU long name/link records
 * already applied.
 *
 * <p>{@code path} is the name as written in the archive, minus any leading {@code "./"}; a
 * directory's trailing {@code '/'} is removed too, and the archive root ({@code "./"}) is reported as
 * {@code "."}. Hostile paths ({@code "../x"}, {@code "/etc"}) are reported unchanged: sanitising them is
 * the importer's job. {@code linkTarget} is a symlink's target as written, or a hardlink's target path
 * (normalised like {@code path}), and {@code null} for other types.
 *
 * @param path         entry path, see above
 * @param type         entry type
 * @param size         content size in bytes; 0 for every type but {@link TarEntryType#REGULAR}
 * @param mode         permission bits ({@code 07777}), without file type bits
 * @param uid          owner id (PAX {@code uid} overrides the header)
 * @param gid          group id (PAX {@code gid} overrides the header)
 * @param userName     owner name, {@code ""} when absent
 * @param groupName    group name, {@code ""} when absent
 * @param mtimeSeconds modification time in whole seconds since the epoch (PAX fractions rounded down)
 * @param linkTarget   symlink or hardlink target, else {@code null}
 * @param devMajor     device major number (devices only, else as written, usually 0)
 * @param devMinor     device minor number (devices only, else as written, usually 0)
 * @param xattrs       extended attributes from {@code SCHILY.xattr.*} and {@code LIBARCHIVE.xattr.*} PAX
 *                     records, keyed by attribute name without the prefix; unmodifiable, values not copied
 * @param headerOffset byte offset in the tar stream of this entry's own 512-byte header block (after
 *                     any PAX or GNU extension headers); its content starts 512 bytes later
 */
public record TarEntry(String path, TarEntryType type, long size, int mode, long uid, long gid, String userName,
        String groupName, long mtimeSeconds, String linkTarget, int devMajor, int devMinor,
        SortedMap<String, byte[]> xattrs, long headerOffset) {

    public TarEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(groupName, "groupName");
        xattrs = xattrs == null || xattrs.isEmpty() ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    }

    /** This entry with another owner (ids and names), everything else unchanged. */
    public TarEntry withOwner(long newUid, long newGid, String newUserName, String newGroupName) {
        return new TarEntry(path, type, size, mode, newUid, newGid, newUserName, newGroupName, mtimeSeconds, linkTarget,
                devMajor, devMinor, xattrs, headerOffset);
    }

    @Override
    public String toString() {
        return "TarEntry{" + type + " '" + path + "'" + (linkTarget != null ? " -> '" + linkTarget + "'" : "")
                + ", size=" + size + ", mode=0" + Integer.toOctalString(mode) + ", uid=" + uid + ", gid=" + gid
                + ", mtime=" + mtimeSeconds + (xattrs.isEmpty() ? "" : ", xattrs=" + xattrs.keySet())
                + ", offset=" + headerOffset + '}';
    }
}
