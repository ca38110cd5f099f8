package dev.ocitree.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest, OCI ({@code application/vnd.oci.image.manifest.v1+json}) or Docker schema 2
 * ({@code application/vnd.docker.distribution.manifest.v2+json}).
 *
 * @param mediaType   the manifest's media type
 * @param config      the config descriptor
 * @param layers      the layer descriptors, base first
 * @param annotations the manifest's annotations
 */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers,
        Map<String, String> annotations) {

    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }

    /**
     * Parses manifest bytes. Refuses schema 1, artifacts (a config that is not an image config, or an
     * {@code artifactType}) and anything but schema version 2, naming {@code file}.
     *
     * @param declaredType the media type of the descriptor that pointed here, or {@code null}
     */
    public static ImageManifest parse(byte[] bytes, String declaredType, String file) {
        JsonNode root = OciJson.object(bytes, file);
        long schemaVersion = OciJson.nonNegativeLong(root, "schemaVersion", file);
        String mediaType = OciJson.optText(root, "mediaType", file);
        if (mediaType == null) {
            mediaType = declaredType == null || declaredType.isEmpty() ? MediaTypes.OCI_MANIFEST : declaredType;
        }
        if (schemaVersion != 2) {
            throw new OciFormatException(file, "schemaVersion " + schemaVersion + " is not supported (schema 1 images"
                    + " must be converted, e.g. with skopeo copy)");
        }
        if (!MediaTypes.isManifest(mediaType)) {
            throw new OciFormatException(file, "media type '" + mediaType + "' is not an image manifest");
        }
        if (declaredType != null && !declaredType.isEmpty() && !declaredType.equals(mediaType)) {
            throw new OciFormatException(file, "declared as '" + declaredType + "' but is '" + mediaType + "'");
        }
        String artifactType = OciJson.optText(root, "artifactType", file);
        Descriptor config = OciJson.descriptor(root.get("config"), "config", file);
        if (artifactType != null || !MediaTypes.isImageConfig(config.mediaType())) {
            throw new OciFormatException(file, "is an artifact (config media type '" + config.mediaType()
                    + (artifactType == null ? "" : "', artifactType '" + artifactType) + "'), not a container image");
        }
        List<Descriptor> layers = new ArrayList<>();
        List<JsonNode> nodes = OciJson.elements(root, "layers", file, false);
        for (int i = 0; i < nodes.size(); i++) {
            Descriptor layer = OciJson.descriptor(nodes.get(i), "layers[" + i + "]", file);
            if (layer.mediaType().isEmpty()) {
                throw new OciFormatException(file, "layers[" + i + "] has no mediaType");
            }
            layers.add(layer);
        }
        return new ImageManifest(mediaType, config, layers, OciJson.stringMap(root, "annotations", file));
    }
}
