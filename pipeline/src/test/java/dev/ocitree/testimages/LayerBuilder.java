package dev.ocitree.testimages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One layer's tar, entry by entry in archive order, written with commons-compress's
 * {@link TarArchiveOutputStream} (PAX for long names, big numbers and {@code SCHILY.xattr.*}). Paths
 * are written exactly as given (absolute and {@code ..} paths included, for hostile layers); every
 * entry has mtime {@link #MTIME}, so the same entries always give the same bytes.
 */
public final class LayerBuilder {

    public static final long MTIME = 1_700_000_000L;

    private record Item(TarArchiveEntry entry, byte[] content) {
    }

    private final List<Item> items = new ArrayList<>();

    public LayerBuilder dir(String path) {
        return dir(path, 0755, 0, 0);
    }

    public LayerBuilder dir(String path, int mode, long uid, long gid) {
        return add(entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, 040000 | mode, uid, gid), null);
    }

    public LayerBuilder file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    public LayerBuilder file(String path, String content, int mode, long uid, long gid) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }

    public LayerBuilder file(String path, byte[] content, int mode, long uid, long gid) {
        TarArchiveEntry e = entry(path, TarConstants.LF_NORMAL, 0100000 | mode, uid, gid);
        e.setSize(content.length);
        return add(e, content);
    }

    public LayerBuilder symlink(String path, String target) {
        return symlink(path, target, 0, 0);
    }

    public LayerBuilder symlink(String path, String target, long uid, long gid) {
        TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK, 0120777, uid, gid);
        e.setLinkName(target);
        return add(e, null);
    }

    /** A hardlink entry; as real tar writers do, it repeats the given mode and owner. */
    public LayerBuilder hardlink(String path, String target) {
        return hardlink(path, target, 0644, 0, 0);
    }

    public LayerBuilder hardlink(String path, String target, int mode, long uid, long gid) {
        TarArchiveEntry e = entry(path, TarConstants.LF_LINK, 0100000 | mode, uid, gid);
        e.setLinkName(target);
        return add(e, null);
    }

    /** {@code parent/.wh.name}: deletes {@code name} of a lower layer. */
    public LayerBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = ".wh." + path.substring(slash + 1);
        return file(slash < 0 ? name : path.substring(0, slash + 1) + name, new byte[0], 0644, 0, 0);
    }

    /** {@code dir/.wh..wh..opq}: hides every lower child of {@code dir}. */
    public LayerBuilder opaque(String dir) {
        return file((dir.isEmpty() ? "" : dir + "/") + ".wh..wh..opq", new byte[0], 0644, 0, 0);
    }

    public LayerBuilder charDevice(String path, int major, int minor) {
        return device(path, TarConstants.LF_CHR, 020666, major, minor);
    }

    public LayerBuilder blockDevice(String path, int major, int minor) {
        return device(path, TarConstants.LF_BLK, 060660, major, minor);
    }

    public LayerBuilder fifo(String path) {
        return device(path, TarConstants.LF_FIFO, 010644, 0, 0);
    }

    /** Adds {@code SCHILY.xattr.<name>} to the last entry. */
    public LayerBuilder xattr(String name, String value) {
        items.get(items.size() - 1).entry().addPaxHeader("SCHILY.xattr." + name, value);
        return this;
    }

    private LayerBuilder device(String path, byte type, int mode, int major, int minor) {
        TarArchiveEntry e = entry(path, type, mode, 0, 0);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return add(e, null);
    }

    private static TarArchiveEntry entry(String path, byte type, int mode, long uid, long gid) {
        TarArchiveEntry e = new TarArchiveEntry(path, type, true);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setUserName("");
        e.setGroupName("");
        e.setModTime(MTIME * 1000);
        return e;
    }

    private LayerBuilder add(TarArchiveEntry e, byte[] content) {
        items.add(new Item(e, content));
        return this;
    }

    /** The uncompressed layer tar. */
    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            for (Item item : items) {
                out.putArchiveEntry(item.entry());
                if (item.content() != null) {
                    out.write(item.content());
                }
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
