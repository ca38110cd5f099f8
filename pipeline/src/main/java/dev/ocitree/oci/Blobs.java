package dev.ocitree.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digest checks for the small documents (index, manifest, config) read into memory. */
final class Blobs {

    private Blobs() {
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Checks size and digest of a document read for {@code descriptor}; returns the bytes. */
    static byte[] verified(byte[] bytes, Descriptor descriptor, String file) {
        if (bytes.length != descriptor.size()) {
            throw new OciFormatException(file, "is " + bytes.length + " bytes, its descriptor says " + descriptor.size());
        }
        String actual = sha256(bytes);
        if (!actual.equals(descriptor.digest())) {
            throw new OciFormatException(file, "has digest " + actual + ", its descriptor says " + descriptor.digest());
        }
        return bytes;
    }
}
