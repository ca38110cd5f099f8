package dev.ocitree.oci;

import java.util.List;

/**
 * One image picked from a source: the original manifest and config bytes (kept verbatim, so their
 * digests can be recomputed) and their parsed form. Arrays are copied on the way in and out.
 */
public final class ResolvedImage {

    private final String source;
    private final String manifestDigest;
    private final byte[] manifestBytes;
    private final ImageManifest manifest;
    private final byte[] configBytes;
    private final ImageConfig config;

    ResolvedImage(String source, String manifestDigest, byte[] manifestBytes, ImageManifest manifest,
            byte[] configBytes, ImageConfig config) {
        this.source = source;
        this.manifestDigest = manifestDigest;
        this.manifestBytes = manifestBytes.clone();
        this.manifest = manifest;
        this.configBytes = configBytes.clone();
        this.config = config;
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new OciFormatException(source, "manifest " + manifestDigest + " has " + manifest.layers().size()
                    + " layers but its config lists " + config.diffIds().size() + " diff_ids");
        }
    }

    /** The source name the image was read from, as given. */
    public String source() {
        return source;
    }

    /** {@code sha256:<hex>} of {@link #manifestBytes()}. */
    public String manifestDigest() {
        return manifestDigest;
    }

    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public ImageManifest manifest() {
        return manifest;
    }

    public byte[] configBytes() {
        return configBytes.clone();
    }

    public ImageConfig config() {
        return config;
    }

    /** The layer descriptors, base first. */
    public List<Descriptor> layers() {
        return manifest.layers();
    }

    /** The diff_id (sha256 of the uncompressed tar) of layer {@code index}. */
    public String diffId(int index) {
        return config.diffIds().get(index);
    }
}
