package dev.ocitree.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading for OCI documents: duplicate keys, trailing tokens and wrong field types are
 * errors, each an {@link OciFormatException} naming the file and the field.
 */
final class OciJson {

    /** Largest index, manifest or config read into memory (the OCI distribution spec suggests 4 MiB for manifests). */
    static final int MAX_DOCUMENT_BYTES = 16 << 20;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private OciJson() {
    }

    /** Parses {@code bytes} as one JSON object. */
    static JsonNode object(byte[] bytes, String file) {
        return parse(bytes, file, JsonNodeType.OBJECT, "object");
    }

    /** Parses {@code bytes} as one JSON array. */
    static JsonNode array(byte[] bytes, String file) {
        return parse(bytes, file, JsonNodeType.ARRAY, "array");
    }

    private static JsonNode parse(byte[] bytes, String file, JsonNodeType expected, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new OciFormatException(file, "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new OciFormatException(file, "unreadable JSON: " + e.getMessage(), e);
        }
        if (node == null || node.getNodeType() != expected) {
            throw new OciFormatException(file, "expected a JSON " + what + ", found "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    static String text(JsonNode parent, String field, String file) {
        String value = optText(parent, field, file);
        if (value == null) {
            throw new OciFormatException(file, "missing string field '" + field + "'");
        }
        return value;
    }

    static String optText(JsonNode parent, String field, String file) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new OciFormatException(file, "field '" + field + "' must be a string, found " + node.getNodeType());
        }
        return node.textValue();
    }

    static long nonNegativeLong(JsonNode parent, String field, String file) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new OciFormatException(file, "field '" + field + "' must be a non-negative integer, found "
                    + (node == null ? "nothing" : node.toString()));
        }
        return node.longValue();
    }

    /** The elements of array field {@code field}; an absent field is an empty list when {@code optional}. */
    static List<JsonNode> elements(JsonNode parent, String field, String file, boolean optional) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (optional) {
                return List.of();
            }
            throw new OciFormatException(file, "missing array field '" + field + "'");
        }
        if (!node.isArray()) {
            throw new OciFormatException(file, "field '" + field + "' must be an array, found " + node.getNodeType());
        }
        List<JsonNode> out = new ArrayList<>(node.size());
        node.forEach(out::add);
        return out;
    }

    static List<String> strings(JsonNode parent, String field, String file, boolean optional) {
        List<String> out = new ArrayList<>();
        for (JsonNode element : elements(parent, field, file, optional)) {
            if (!element.isTextual()) {
                throw new OciFormatException(file, "field '" + field + "' must hold strings, found " + element.getNodeType());
            }
            out.add(element.textValue());
        }
        return out;
    }

    static Map<String, String> stringMap(JsonNode parent, String field, String file) {
        JsonNode node = parent.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new OciFormatException(file, "field '" + field + "' must be an object, found " + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new OciFormatException(file, "field '" + field + "." + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** Reads one descriptor object ({@code mediaType}, {@code digest}, {@code size}, optional platform/annotations/urls). */
    static Descriptor descriptor(JsonNode node, String where, String file) {
        if (node == null || !node.isObject()) {
            throw new OciFormatException(file, where + " must be a descriptor object");
        }
        String mediaType = optText(node, "mediaType", file);
        String digest = text(node, "digest", file);
        if (!Descriptor.isDigest(digest)) {
            throw new OciFormatException(file, where + " has digest '" + digest
                    + "'; only sha256:<64 lower-case hex> is supported");
        }
        long size = nonNegativeLong(node, "size", file);
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw new OciFormatException(file, where + ".platform must be an object");
            }
            try {
                platform = new Platform(text(p, "os", file), text(p, "architecture", file), optText(p, "variant", file));
            } catch (IllegalArgumentException e) {
                throw new OciFormatException(file, where + ".platform: " + e.getMessage());
            }
        }
        return new Descriptor(mediaType == null ? "" : mediaType, digest, size, platform,
                stringMap(node, "annotations", file), strings(node, "urls", file, true));
    }
}
