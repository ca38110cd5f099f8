package dev.ocitree.oci;

import java.util.List;

/**
 * The document checks of every source, for sources outside this package (the registry client):
 * what a fetched index or manifest is, which index entry a platform picks, and the
 * {@link ResolvedImage} built from verified manifest and config bytes. Every method only parses
 * memory; malformed input raises {@link OciFormatException} naming {@code file}.
 */
public final class ImageDocuments {

    /** Largest index, manifest or config a source reads into memory. */
    public static final int MAX_DOCUMENT_BYTES = OciJson.MAX_DOCUMENT_BYTES;

    private ImageDocuments() {
    }

    /** Whether {@code mediaType} is an OCI image index or a Docker manifest list. */
    public static boolean isIndex(String mediaType) {
        return MediaTypes.isIndex(mediaType);
    }

    /** Whether {@code mediaType} is an OCI image manifest or a Docker schema 2 manifest. */
    public static boolean isManifest(String mediaType) {
        return MediaTypes.isManifest(mediaType);
    }

    /**
     * The entry of an index (or manifest list) for {@code platform}, as the layout sources choose it.
     *
     * @throws ImageNotFoundException when no entry fits, naming {@code source} and what is available
     */
    public static Descriptor chooseFromIndex(byte[] index, String mediaType, Platform platform, String source,
            String file) {
        List<Descriptor> entries = Indexes.parse(index, mediaType, file);
        return Indexes.choose(entries, platform, source, file);
    }

    /** The SHA-256 digest ({@code sha256:<hex>}) of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return Blobs.sha256(bytes);
    }

    /**
     * Parses a manifest and its config into a {@link ResolvedImage}. The manifest bytes must already
     * be checked against {@code manifestDigest}; the config bytes are checked here against the
     * manifest's config descriptor.
     */
    public static ResolvedImage resolved(String source, String manifestDigest, byte[] manifestBytes,
            String manifestMediaType, String manifestFile, byte[] configBytes, String configFile) {
        ImageManifest manifest = ImageManifest.parse(manifestBytes, manifestMediaType, manifestFile);
        return resolved(source, manifestDigest, manifestBytes, manifest, configBytes, configFile);
    }

    /** Like the other {@code resolved}, for a manifest already parsed with {@link ImageManifest#parse}. */
    public static ResolvedImage resolved(String source, String manifestDigest, byte[] manifestBytes,
            ImageManifest manifest, byte[] configBytes, String configFile) {
        Blobs.verified(configBytes, manifest.config(), configFile);
        return new ResolvedImage(source, manifestDigest, manifestBytes, manifest, configBytes,
                ImageConfig.parse(configBytes, configFile));
    }
}
