package dev.ocitree.testimages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A comparable listing of an unpacked root filesystem (the root itself omitted), one line per path:
 * {@code type mode uid gid size sha256 target}, as ../shared/peers/lib/listing.py does minus
 * mtimes, link counts and xattrs (OSTree keeps none of the first two; xattrs are compared through
 * the dirtree checksums).
 */
public final class RootfsListing {

    private RootfsListing() {
    }

    /** path → {@code "type mode uid gid size sha256 target"}. */
    public static Map<String, String> of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                out.put(root.relativize(p).toString(), line(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String line(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        String kind = switch (type) {
            case 0040000 -> "dir";
            case 0100000 -> "file";
            case 0120000 -> "symlink";
            case 0020000 -> "char";
            case 0060000 -> "block";
            case 0010000 -> "fifo";
            default -> "other";
        };
        String perms = type == 0120000 ? "-" : String.format("%04o", mode & 07777);
        String size = type == 0100000 ? a.get("size").toString()
                : type == 0120000 ? Integer.toString(Files.readSymbolicLink(p).toString().getBytes().length) : "-";
        String sha = type == 0100000 ? sha256(p) : "-";
        String target = type == 0120000 ? Files.readSymbolicLink(p).toString() : "-";
        return kind + " " + perms + " " + a.get("uid") + " " + a.get("gid") + " " + size + " " + sha + " " + target;
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
