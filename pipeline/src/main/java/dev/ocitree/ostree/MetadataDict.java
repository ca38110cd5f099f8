package dev.ocitree.ostree;

import dev.ocitree.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ordered {@code a{sv}} dictionaries of commits, detached metadata and tombstones. */
final class MetadataDict {

    private MetadataDict() {
    }

    static Map<String, Variant> copy(Map<String, Variant> in, String what) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<String, Variant> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k == null || k.isEmpty()) {
                throw new OstreeFormatException(what + ": empty metadata key");
            }
            if (k.indexOf('\0') >= 0 || v == null) {
                throw new OstreeFormatException(what + ": invalid metadata entry '" + k.replace("\0", "\\0") + "'");
            }
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }

    static List<Object> toGVariant(Map<String, Variant> map) {
        List<Object> list = new ArrayList<>(map.size());
        map.forEach((k, v) -> list.add(List.of(k, v)));
        return list;
    }

    static Map<String, Variant> fromGVariant(Object value, String what) {
        LinkedHashMap<String, Variant> out = new LinkedHashMap<>();
        for (Object o : (List<?>) value) {
            List<?> e = (List<?>) o;
            String key = (String) e.get(0);
            if (out.put(key, (Variant) e.get(1)) != null) {
                throw new OstreeFormatException(what + ": duplicate key '" + key + "'");
            }
        }
        return copy(out, what);
    }

    static byte[] serialize(Map<String, Variant> map) {
        return Variant.of("a{sv}", toGVariant(map)).serialize();
    }

    static Map<String, Variant> parse(byte[] bytes, String what) {
        return fromGVariant(Variant.parse("a{sv}", bytes).value(), what);
    }
}
