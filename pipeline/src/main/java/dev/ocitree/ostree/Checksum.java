package dev.ocitree.ostree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A SHA-256 object checksum: 32 bytes, written as 64 lower-case hex digits. Immutable. */
public final class Checksum implements Comparable<Checksum> {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bytes;

    private Checksum(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses 64 lower-case hex digits (upper case is rejected, as ostree does).
     *
     * @throws OstreeFormatException naming the string otherwise
     */
    public static Checksum fromHex(String hex) {
        if (hex == null || hex.length() != 64) {
            throw new OstreeFormatException("invalid checksum '" + hex + "': expected 64 lower-case hex digits");
        }
        byte[] b = new byte[32];
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else {
                throw new OstreeFormatException("invalid checksum '" + hex + "': character '" + c + "' at " + i
                        + " is not a lower-case hex digit");
            }
            b[i >> 1] |= (byte) (d << ((i & 1) == 0 ? 4 : 0));
        }
        return new Checksum(b);
    }

    /** Whether {@code s} is 64 lower-case hex digits. */
    public static boolean isValidHex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Wraps 32 raw bytes (copied).
     *
     * @throws OstreeFormatException if the array is not exactly 32 bytes
     */
    public static Checksum of(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new OstreeFormatException("invalid checksum: expected 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new Checksum(bytes.clone());
    }

    /** SHA-256 of {@code data}. */
    public static Checksum sha256(byte[] data) {
        MessageDigest md = newDigest();
        return new Checksum(md.digest(data));
    }

    /** Completes {@code digest} (a SHA-256 digest) into a checksum. */
    static Checksum finish(MessageDigest digest) {
        return new Checksum(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** 64 lower-case hex digits. */
    public String hex() {
        char[] out = new char[64];
        for (int i = 0; i < 32; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** A copy of the 32 raw bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    /** Bytewise unsigned order, which equals the order of the hex strings. */
    @Override
    public int compareTo(Checksum o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checksum c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    @Override
    public String toString() {
        return hex();
    }
}
