package dev.ocitree.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocitree.oci.Platform;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of an exported image, compact and in a fixed key order, so the same commit
 * gives the same config and manifest digests: the config (created = the commit time, no wall
 * clock anywhere), the manifest, and the layout's {@code index.json} updated in place.
 */
final class ImageDocuments {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageDocuments() {
    }

    static byte[] config(long timestamp, String architecture, String diffId, Map<String, String> labels) {
        String created = Instant.ofEpochSecond(Math.max(0, timestamp)).toString();
        ObjectNode c = JSON.createObjectNode();
        c.put("created", created);
        c.put("architecture", architecture);
        c.put("os", "linux");
        ObjectNode l = c.putObject("config").putObject("Labels");
        labels.forEach(l::put);
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        c.putArray("history").addObject().put("created", created).put("created_by", "ocitree export");
        return bytes(c);
    }

    static byte[] manifest(String configDigest, long configSize, String layerType, List<ExportResult.Layer> layers) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST_TYPE);
        m.putObject("config").put("mediaType", CONFIG_TYPE).put("digest", configDigest).put("size", configSize);
        ArrayNode array = m.putArray("layers");
        layers.forEach(l -> array.addObject().put("mediaType", layerType).put("digest", l.digest()).put("size", l.size()));
        return bytes(m);
    }

    /**
     * {@code index.json}: the existing one ({@code null} for none) without entries tagged
     * {@code tag}, plus the new manifest tagged {@code tag}.
     *
     * @throws InvalidDestinationException when the existing index is not an OCI index
     */
    static byte[] index(byte[] existing, String where, String manifestDigest, long manifestSize, String tag) {
        ObjectNode index;
        if (existing == null) {
            index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", INDEX_TYPE);
            index.putArray("manifests");
        } else {
            index = parseIndex(existing, where);
        }
        ArrayNode manifests = (ArrayNode) index.get("manifests");
        for (int i = manifests.size() - 1; i >= 0; i--) {
            if (tag.equals(manifests.get(i).path("annotations").path(REF_NAME).asText(null))) {
                manifests.remove(i);
            }
        }
        manifests.addObject().put("mediaType", MANIFEST_TYPE).put("digest", manifestDigest).put("size", manifestSize)
                .putObject("annotations").put(REF_NAME, tag);
        return bytes(index);
    }

    /**
     * An existing {@code index.json}, checked before anything is written to its layout.
     *
     * @throws InvalidDestinationException when it is not JSON or has no {@code manifests} array
     */
    static ObjectNode parseIndex(byte[] existing, String where) {
        try {
            JsonNode n = JSON.readTree(existing);
            if (!(n instanceof ObjectNode o) || !(o.get("manifests") instanceof ArrayNode)) {
                throw new InvalidDestinationException(where + ": index.json is not an OCI image index (no manifests array)");
            }
            return o;
        } catch (IOException e) {
            throw new InvalidDestinationException(where + ": index.json is not JSON: " + e.getMessage(), e);
        }
    }

    /** {@code docker save}'s {@code manifest.json}: one image, its config, its layers, its tag (none when null). */
    static byte[] dockerManifest(String config, String repoTag, List<String> layers) {
        ArrayNode top = JSON.createArrayNode();
        ObjectNode image = top.addObject();
        image.put("Config", config);
        ArrayNode tags = image.putArray("RepoTags");
        if (repoTag != null) {
            tags.add(repoTag);
        }
        ArrayNode names = image.putArray("Layers");
        layers.forEach(names::add);
        return bytes(top);
    }

    /** The OCI architecture of a flatpak ref's arch ({@code app/N/x86_64/B} → amd64), else this machine's. */
    static String architecture(String ref) {
        if (CommitLabels.isFlatpakRef(ref)) {
            String arch = ref.split("/")[2];
            return switch (arch) {
                case "x86_64" -> "amd64";
                case "aarch64" -> "arm64";
                case "i386" -> "386";
                default -> arch;
            };
        }
        return Platform.current().architecture();
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
