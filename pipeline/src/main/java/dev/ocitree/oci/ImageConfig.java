package dev.ocitree.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of an image config ({@code application/vnd.oci.image.config.v1+json} or Docker's
 * {@code application/vnd.docker.container.image.v1+json}) that an import needs.
 *
 * @param diffIds  {@code rootfs.diff_ids}: the sha256 of each uncompressed layer tar, base first
 * @param platform the config's {@code os}/{@code architecture}/{@code variant}, or {@code null} if absent
 * @param created  the {@code created} timestamp as written (RFC 3339), or {@code null}
 */
public record ImageConfig(List<String> diffIds, Platform platform, String created) {

    public ImageConfig {
        diffIds = List.copyOf(diffIds);
    }

    static ImageConfig parse(byte[] bytes, String file) {
        JsonNode root = OciJson.object(bytes, file);
        JsonNode rootfs = root.get("rootfs");
        if (rootfs == null || !rootfs.isObject()) {
            throw new OciFormatException(file, "missing object field 'rootfs'");
        }
        String type = OciJson.text(rootfs, "type", file);
        if (!"layers".equals(type)) {
            throw new OciFormatException(file, "rootfs.type is '" + type + "', expected 'layers'");
        }
        List<String> diffIds = OciJson.strings(rootfs, "diff_ids", file, false);
        for (String id : diffIds) {
            if (!Descriptor.isDigest(id)) {
                throw new OciFormatException(file, "rootfs.diff_ids holds '" + id + "'; expected sha256:<64 hex>");
            }
        }
        String os = OciJson.optText(root, "os", file);
        String arch = OciJson.optText(root, "architecture", file);
        Platform platform = os == null || arch == null || os.isEmpty() || arch.isEmpty() ? null
                : new Platform(os, arch, emptyToNull(OciJson.optText(root, "variant", file)));
        return new ImageConfig(diffIds, platform, OciJson.optText(root, "created", file));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
