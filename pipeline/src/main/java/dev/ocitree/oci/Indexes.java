package dev.ocitree.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reading image indexes / manifest lists and choosing an entry by platform. */
final class Indexes {

    private Indexes() {
    }

    /** The {@code manifests} of an OCI index or Docker manifest list. */
    static List<Descriptor> parse(byte[] bytes, String declaredType, String file) {
        JsonNode root = OciJson.object(bytes, file);
        long schemaVersion = OciJson.nonNegativeLong(root, "schemaVersion", file);
        if (schemaVersion != 2) {
            throw new OciFormatException(file, "schemaVersion " + schemaVersion + " is not supported");
        }
        String mediaType = OciJson.optText(root, "mediaType", file);
        if (mediaType != null && !MediaTypes.isIndex(mediaType)) {
            throw new OciFormatException(file, "media type '" + mediaType + "' is not an image index");
        }
        List<Descriptor> out = new ArrayList<>();
        List<JsonNode> nodes = OciJson.elements(root, "manifests", file, false);
        for (int i = 0; i < nodes.size(); i++) {
            Descriptor d = OciJson.descriptor(nodes.get(i), "manifests[" + i + "]", file);
            if (d.mediaType().isEmpty()) {
                throw new OciFormatException(file, "manifests[" + i + "] has no mediaType");
            }
            out.add(d);
        }
        return out;
    }

    /**
     * The entry for {@code platform}: the first manifest or index whose platform it accepts; a lone
     * entry without a platform is taken as is. Entries that are neither manifests nor indexes
     * (attestations, artifacts with other media types) are ignored.
     */
    static Descriptor choose(List<Descriptor> entries, Platform platform, String source, String file) {
        List<Descriptor> usable = entries.stream()
                .filter(d -> MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType()))
                .toList();
        if (usable.isEmpty()) {
            throw new ImageNotFoundException("source '" + source + "': " + file + " lists no image manifest");
        }
        for (Descriptor d : usable) {
            if (d.platform() != null && platform.accepts(d.platform())) {
                return d;
            }
        }
        List<Descriptor> unlabelled = usable.stream().filter(d -> d.platform() == null).toList();
        if (unlabelled.size() == 1) {
            return unlabelled.get(0);
        }
        if (unlabelled.size() > 1 && usable.size() == unlabelled.size()) {
            throw new ImageNotFoundException("source '" + source + "': " + file + " holds " + usable.size()
                    + " images without platform or tag to choose from; name a tag");
        }
        throw new ImageNotFoundException("source '" + source + "': no image for platform " + platform + " in " + file
                + "; available: " + usable.stream().map(d -> String.valueOf(d.platform()))
                        .collect(Collectors.joining(", ", "[", "]")));
    }
}
