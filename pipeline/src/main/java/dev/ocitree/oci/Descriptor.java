package dev.ocitree.oci;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An OCI content descriptor: what a manifest or index says about one blob.
 *
 * @param mediaType   the blob's media type
 * @param digest      {@code sha256:<64 lower-case hex>} (the only algorithm accepted)
 * @param size        the blob's size in bytes
 * @param platform    the platform of an index entry, or {@code null}
 * @param annotations the descriptor's annotations (never null)
 * @param urls        foreign-layer URLs (never null)
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform, Map<String, String> annotations,
        List<String> urls) {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        annotations = Map.copyOf(annotations);
        urls = List.copyOf(urls);
    }

    /** Whether {@code digest} is {@code sha256:} followed by 64 lower-case hex digits. */
    public static boolean isDigest(String digest) {
        return SHA256.matcher(digest).matches();
    }

    /** The 64 hex digits of the digest (safe as a file name: validated at construction). */
    public String hex() {
        return digest.substring("sha256:".length());
    }

    /** The value of annotation {@code org.opencontainers.image.ref.name}, or {@code null}. */
    public String refName() {
        return annotations.get(MediaTypes.REF_NAME_ANNOTATION);
    }
}
