package dev.ocitree.operators.tar;

import dev.ocitree.operators.LimitExceededException;
import dev.ocitree.operators.StreamLimits;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * The extension records that apply to the next entry: PAX global ({@code 'g'}, until replaced),
 * PAX per-entry ({@code 'x'}) and GNU long name ({@code 'L'}) / long link ({@code 'K'}) records; and
 * the merge of those records with a decoded ustar/GNU header into a {@link TarEntry}.
 *
 * <p>Precedence, highest first: PAX per-entry, PAX global, GNU long name/link, the header. An empty
 * PAX value deletes the key (per-entry: for this entry only).
 */
final class ExtendedHeaders {

    private static final int UID_OFFSET = 108;
    private static final int GID_OFFSET = 116;
    private static final int ID_LENGTH = 8;
    private static final String XATTR_SCHILY = "SCHILY.xattr.";
    private static final String XATTR_LIBARCHIVE = "LIBARCHIVE.xattr.";

    private final StreamLimits limits;
    private final StrictUtf8 utf8;
    private final Map<String, byte[]> global = new HashMap<>();
    private long globalBytes;
    private Map<String, byte[]> local;
    private String longName;
    private String longLink;

    ExtendedHeaders(StreamLimits limits, StrictUtf8 utf8) {
        this.limits = limits;
        this.utf8 = utf8;
    }

    /** Whether extension records are waiting for the entry they describe. */
    boolean pending() {
        return local != null || longName != null || longLink != null;
    }

    void addGlobal(byte[] data, String name, long dataOffset) {
        for (Map.Entry<String, byte[]> r : PaxRecords.parse(data, utf8, name, dataOffset).entrySet()) {
            byte[] old = r.getValue().length == 0 ? global.remove(r.getKey()) : global.put(r.getKey(), r.getValue());
            globalBytes += (r.getValue().length == 0 ? 0 : r.getKey().length() + r.getValue().length)
                    - (old == null ? 0 : r.getKey().length() + old.length);
        }
        if (globalBytes > limits.maxHeaderBytes()) {
            throw new LimitExceededException("tar entry '" + name + "' at byte offset " + dataOffset
                    + ": PAX global headers hold " + globalBytes + " bytes, more than maxHeaderBytes "
                    + limits.maxHeaderBytes());
        }
    }

    void setLocal(byte[] data, String name, long dataOffset) {
        local = PaxRecords.parse(data, utf8, name, dataOffset);
    }

    void setLongName(byte[] data, String name, long dataOffset) {
        longName = cString(data, name, dataOffset);
    }

    void setLongLink(byte[] data, String name, long dataOffset) {
        longLink = cString(data, name, dataOffset);
    }

    /**
     * Builds the entry for a decoded header, consuming the pending per-entry records.
     *
     * @throws TarFormatException      for unsupported types (GNU sparse, volume labels...) or bad PAX values
     * @throws LimitExceededException  for a path, link target or size past the {@link StreamLimits}
     */
    TarEntry entry(TarArchiveEntry header, byte[] block, long offset) {
        String path = longName != null ? longName : header.getName();
        String link = longLink != null ? longLink : header.getLinkName();
        long size = header.getSize();
        // not getLongUserId()/getLongGroupId(): commons-compress 1.28 truncates base-256 ids to int
        long uid = TarUtils.parseOctalOrBinary(block, UID_OFFSET, ID_LENGTH);
        long gid = TarUtils.parseOctalOrBinary(block, GID_OFFSET, ID_LENGTH);
        String userName = header.getUserName();
        String groupName = header.getGroupName();
        long mtime = header.getLastModifiedTime().to(TimeUnit.SECONDS);
        int devMajor = header.getDevMajor();
        int devMinor = header.getDevMinor();
        TreeMap<String, byte[]> xattrs = null;
        Map<String, byte[]> pax = merged();
        local = null;
        longName = null;
        longLink = null;
        if (!pax.isEmpty()) {
            // LIBARCHIVE.xattr.* first, so SCHILY.xattr.* (same attributes, written by bsdtar too) wins
            for (Map.Entry<String, byte[]> r : pax.entrySet()) {
                if (r.getKey().startsWith(XATTR_LIBARCHIVE) && r.getValue().length > 0) {
                    xattrs = xattrs == null ? new TreeMap<>() : xattrs;
                    putLibarchiveXattr(xattrs, r.getKey(), r.getValue(), path, offset);
                }
            }
            for (Map.Entry<String, byte[]> r : pax.entrySet()) {
                String key = r.getKey();
                byte[] value = r.getValue();
                if (value.length == 0) {
                    continue;
                }
                switch (key) {
                    case "path" -> path = text(value, key, path, offset);
                    case "linkpath" -> link = text(value, key, path, offset);
                    case "size" -> size = decimal(value, key, path, offset);
                    case "uid" -> uid = decimal(value, key, path, offset);
                    case "gid" -> gid = decimal(value, key, path, offset);
                    case "uname" -> userName = text(value, key, path, offset);
                    case "gname" -> groupName = text(value, key, path, offset);
                    case "mtime" -> mtime = seconds(value, path, offset);
                    case "SCHILY.devmajor" -> devMajor = intDecimal(value, key, path, offset);
                    case "SCHILY.devminor" -> devMinor = intDecimal(value, key, path, offset);
                    default -> {
                        if (key.startsWith(XATTR_SCHILY) && key.length() > XATTR_SCHILY.length()) {
                            xattrs = xattrs == null ? new TreeMap<>() : xattrs;
                            xattrs.put(key.substring(XATTR_SCHILY.length()), value);
                        } else if (key.startsWith("GNU.sparse.")) {
                            throw new TarFormatException(path, offset,
                                    "GNU sparse files (PAX GNU.sparse.* records) are not supported");
                        }
                    }
                }
            }
        }
        TarEntryType type = type(header.getLinkFlag(), path, offset);
        if (type != TarEntryType.REGULAR) {
            size = 0;
        } else if (size > limits.maxEntrySize()) {
            throw new LimitExceededException("tar entry '" + path + "' at byte offset " + offset + ": size " + size
                    + " exceeds maxEntrySize " + limits.maxEntrySize());
        }
        checkLength(path, "path", path, offset);
        if (type == TarEntryType.SYMLINK || type == TarEntryType.HARDLINK) {
            checkLength(link, "link target", path, offset);
            link = type == TarEntryType.HARDLINK ? normalise(link, false) : link;
        } else {
            link = null;
        }
        return new TarEntry(normalise(path, type == TarEntryType.DIRECTORY), type, size,
                header.getMode() & 07777, uid, gid, userName, groupName, mtime, link, devMajor, devMinor, xattrs,
                offset);
    }

    private Map<String, byte[]> merged() {
        if (local == null) {
            return global;
        }
        if (global.isEmpty()) {
            return local; // empty values (deletions) are skipped where the records are applied
        }
        Map<String, byte[]> all = new HashMap<>(global);
        for (Map.Entry<String, byte[]> r : local.entrySet()) {
            if (r.getValue().length == 0) {
                all.remove(r.getKey());
            } else {
                all.put(r.getKey(), r.getValue());
            }
        }
        return all;
    }

    private static TarEntryType type(byte flag, String path, long offset) {
        return switch (flag) {
            case '0', '7' -> TarEntryType.REGULAR;
            case 0 -> path.endsWith("/") ? TarEntryType.DIRECTORY : TarEntryType.REGULAR;
            case '1' -> TarEntryType.HARDLINK;
            case '2' -> TarEntryType.SYMLINK;
            case '3' -> TarEntryType.CHAR_DEVICE;
            case '4' -> TarEntryType.BLOCK_DEVICE;
            case '5' -> TarEntryType.DIRECTORY;
            case '6' -> TarEntryType.FIFO;
            case 'S' -> throw new TarFormatException(path, offset, "GNU sparse files (type 'S') are not supported");
            default -> throw new TarFormatException(path, offset, "unsupported entry type "
                    + (flag >= 0x20 && flag < 0x7f ? "'" + (char) flag + "'" : "0x" + Integer.toHexString(flag & 0xff)));
        };
    }

    /** Drops leading "./" (repeatedly) and, for directories, trailing '/'; the root becomes ".". */
    static String normalise(String path, boolean directory) {
        int start = 0;
        while (path.startsWith("./", start)) {
            start += 2;
            while (start < path.length() && path.charAt(start) == '/') {
                start++;
            }
        }
        int end = path.length();
        if (directory) {
            while (end > start && path.charAt(end - 1) == '/') {
                end--;
            }
        }
        if (start == end) {
            return start == 0 && end == path.length() ? path : ".";
        }
        return start == 0 && end == path.length() ? path : path.substring(start, end);
    }

    private void checkLength(String value, String what, String path, long offset) {
        // a char is at most 3 UTF-8 bytes: count only when the string could be too long
        if ((long) value.length() * 3 > limits.maxPathLength()
                && StrictUtf8.encodedLength(value) > limits.maxPathLength()) {
            throw new LimitExceededException("tar entry '" + abbreviate(path) + "' at byte offset " + offset + ": "
                    + what + " of " + StrictUtf8.encodedLength(value) + " bytes exceeds maxPathLength "
                    + limits.maxPathLength());
        }
    }

    private void putLibarchiveXattr(Map<String, byte[]> xattrs, String key, byte[] value, String path, long offset) {
        String encoded = key.substring(XATTR_LIBARCHIVE.length());
        byte[] name = new byte[encoded.length()];
        int n = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
                name[n++] = (byte) (hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80 && c != '%') {
                name[n++] = (byte) c;
            } else {
                throw badValue(key, path, offset, "attribute name is not percent-encoded ASCII");
            }
        }
        try {
            xattrs.put(utf8.decode(name, 0, n), Base64.getDecoder().decode(value));
        } catch (CharacterCodingException e) {
            throw badValue(key, path, offset, "attribute name is not UTF-8");
        } catch (IllegalArgumentException e) {
            throw badValue(key, path, offset, "value is not base64");
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private String text(byte[] value, String key, String path, long offset) {
        try {
            return utf8.decode(value, 0, value.length);
        } catch (CharacterCodingException e) {
            throw badValue(key, path, offset, "not UTF-8");
        }
    }

    private static long decimal(byte[] value, String key, String path, long offset) {
        if (value.length > 18) {
            throw badValue(key, path, offset, "more than 18 digits");
        }
        long n = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                throw badValue(key, path, offset, "not a non-negative decimal number");
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    private static int intDecimal(byte[] value, String key, String path, long offset) {
        long n = decimal(value, key, path, offset);
        if (n > Integer.MAX_VALUE) {
            throw badValue(key, path, offset, "larger than " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** PAX mtime: {@code [-]seconds[.fraction]}, rounded down to whole seconds. */
    private static long seconds(byte[] value, String path, long offset) {
        int i = value.length > 0 && value[0] == '-' ? 1 : 0;
        int dot = i;
        while (dot < value.length && value[dot] != '.') {
            dot++;
        }
        if (dot == i || dot - i > 18) {
            throw badValue("mtime", path, offset, "not a decimal number of seconds");
        }
        long whole = 0;
        for (int j = i; j < dot; j++) {
            whole = whole * 10 + digit(value[j], path, offset);
        }
        boolean fraction = false;
        for (int j = dot + 1; j < value.length; j++) {
            fraction |= digit(value[j], path, offset) != 0;
        }
        return i == 0 ? whole : -whole - (fraction ? 1 : 0);
    }

    private static int digit(byte b, String path, long offset) {
        if (b < '0' || b > '9') {
            throw badValue("mtime", path, offset, "not a decimal number of seconds");
        }
        return b - '0';
    }

    private static TarFormatException badValue(String key, String path, long offset, String reason) {
        return new TarFormatException(path, offset, "PAX record '" + key + "': " + reason);
    }

    private String cString(byte[] data, String name, long dataOffset) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        try {
            return utf8.decode(data, 0, end);
        } catch (CharacterCodingException e) {
            throw new TarFormatException(name, dataOffset, "GNU long name is not UTF-8");
        }
    }

    /** Error messages quote at most 256 characters of a (possibly hostile, huge) name. */
    static String abbreviate(String name) {
        return name.length() <= 256 ? name : name.substring(0, 256) + "...(" + name.length() + " chars)";
    }
}
