package dev.ocitree.ostree.gvariant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test against GLib itself: random values of random types serialise to exactly GLib's
 * bytes, GLib's bytes parse back to the same value, and for thousands of corrupted buffers our
 * parser accepts exactly those GLib calls normal form.
 */
class GLibCrossCheckTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final String BASIC = "ybnqiuxthdsog";

    /** A random value in both representations: ours and the structural JSON the peer builds from. */
    private record Sample(String type, Object value, JsonNode json) {
    }

    private static String randomType(Random r, int depth) {
        int pick = r.nextInt(depth >= 3 ? 14 : 21);
        if (pick < 13) {
            return String.valueOf(BASIC.charAt(pick));
        }
        return switch (pick) {
            case 13 -> "v";
            case 14, 15 -> "a" + randomType(r, depth + 1);
            case 16 -> "m" + randomType(r, depth + 1);
            case 17 -> "a{" + BASIC.charAt(r.nextInt(13)) + randomType(r, depth + 1) + "}";
            case 18 -> "()";
            default -> {
                StringBuilder sb = new StringBuilder("(");
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(randomType(r, depth + 1));
                }
                yield sb.append(')').toString();
            }
        };
    }

    private static Sample sample(Random r, String type, int depth) {
        VariantType t = VariantType.of(type);
        switch (t.kind) {
            case 'y' -> {
                int v = r.nextInt(256);
                return new Sample(type, (byte) v, JSON.numberNode(v));
            }
            case 'b' -> {
                boolean v = r.nextBoolean();
                return new Sample(type, v, JSON.booleanNode(v));
            }
            case 'n' -> {
                short v = (short) r.nextInt();
                return new Sample(type, v, JSON.numberNode(v));
            }
            case 'q' -> {
                short v = (short) r.nextInt();
                return new Sample(type, v, JSON.numberNode(v & 0xFFFF));
            }
            case 'i', 'h' -> {
                int v = r.nextInt();
                return new Sample(type, v, JSON.numberNode(v));
            }
            case 'u' -> {
                int v = r.nextInt();
                return new Sample(type, v, JSON.numberNode(v & 0xFFFFFFFFL));
            }
            case 'x' -> {
                long v = r.nextLong();
                return new Sample(type, v, JSON.numberNode(v));
            }
            case 't' -> {
                long v = r.nextLong();
                return new Sample(type, v, JSON.numberNode(new BigInteger(Long.toUnsignedString(v))));
            }
            case 'd' -> {
                double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
                return new Sample(type, v, JSON.numberNode(v));
            }
            case 's' -> {
                String v = randomString(r);
                return new Sample(type, v, JSON.textNode(v));
            }
            case 'o' -> {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    sb.append('/').append("seg_").append(r.nextInt(100));
                }
                String v = n == 0 ? "/" : sb.toString();
                return new Sample(type, v, JSON.textNode(v));
            }
            case 'g' -> {
                String v = r.nextInt(4) == 0 ? "" : randomType(r, 2) + (r.nextBoolean() ? randomType(r, 2) : "");
                if (v.indexOf('m') >= 0) {
                    v = "a{sv}";
                }
                return new Sample(type, v, JSON.textNode(v));
            }
            case 'v' -> {
                Sample inner = sample(r, depth >= 3 ? String.valueOf(BASIC.charAt(r.nextInt(13))) : randomType(r, depth + 1),
                        depth + 1);
                ObjectNode o = JSON.objectNode();
                o.put("t", inner.type());
                o.set("v", inner.json());
                return new Sample(type, new Variant(VariantType.of(inner.type()), inner.value()), o);
            }
            case 'm' -> {
                if (r.nextInt(3) == 0) {
                    return new Sample(type, Optional.empty(), JSON.nullNode());
                }
                Sample inner = sample(r, t.element().string, depth + 1);
                ObjectNode o = JSON.objectNode();
                o.set("just", inner.json());
                return new Sample(type, Optional.of(inner.value()), o);
            }
            case 'a' -> {
                int n = r.nextInt(10) == 0 ? 40 + r.nextInt(80) : r.nextInt(4);
                ArrayNode a = JSON.arrayNode();
                if (t.element().kind == 'y') {
                    byte[] b = new byte[r.nextInt(10) == 0 ? 300 : r.nextInt(40)];
                    r.nextBytes(b);
                    for (byte x : b) {
                        a.add(x & 0xFF);
                    }
                    return new Sample(type, b, a);
                }
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Sample e = sample(r, t.element().string, depth + 1);
                    list.add(e.value());
                    a.add(e.json());
                }
                return new Sample(type, list, a);
            }
            default -> {
                ArrayNode a = JSON.arrayNode();
                List<Object> list = new ArrayList<>();
                for (VariantType m : t.children) {
                    Sample e = sample(r, m.string, depth + 1);
                    list.add(e.value());
                    a.add(e.json());
                }
                return new Sample(type, list, a);
            }
        }
    }

    private static String randomString(Random r) {
        String[] pieces = {"a", "é", "日本", "😀", "x".repeat(r.nextInt(10) == 0 ? 300 : 3), "", "Z"};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    private static String request(String op, String type, String key, JsonNode value) {
        ObjectNode o = JSON.objectNode();
        o.put("op", op);
        o.put("type", type);
        o.set(key, value);
        try {
            return MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void randomValuesSerialiseExactlyAsGLibDoes() throws Exception {
        Random r = new Random(20210101);
        List<Sample> samples = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            Sample s = sample(r, randomType(r, 0), 0);
            samples.add(s);
            requests.add(request("serialize", s.type(), "value", s.json()));
        }
        List<String> glib = GLibPeer.run(requests);
        int multiByteOffsets = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Variant ours = Variant.of(s.type(), s.value());
            assertThat(HEX.formatHex(ours.serialize())).as("%s %s", s.type(), s.json()).isEqualTo(glib.get(i));
            assertThat(Variant.parse(s.type(), HEX.parseHex(glib.get(i)))).as(s.type()).isEqualTo(ours);
            multiByteOffsets += glib.get(i).length() / 2 > 255 ? 1 : 0;
        }
        assertThat(multiByteOffsets).as("samples large enough for 2-byte framing offsets").isGreaterThan(20);
    }

    @Test
    void parserAcceptsExactlyWhatGLibCallsNormalForm() throws Exception {
        Random r = new Random(42);
        List<String> types = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String type = randomType(r, 0);
            byte[] good = Variant.of(type, sample(r, type, 0).value()).serialize();
            byte[] bad = corrupt(r, good);
            types.add(type);
            inputs.add(bad);
            requests.add(request("normal", type, "hex", JSON.textNode(HEX.formatHex(bad))));
        }
        byte[] commit = GVariantRejectionTest.commitA();
        for (int len = 0; len < commit.length; len++) {
            types.add(GVariantRejectionTest.COMMIT);
            inputs.add(Arrays.copyOf(commit, len));
            requests.add(request("normal", GVariantRejectionTest.COMMIT, "hex",
                    JSON.textNode(HEX.formatHex(Arrays.copyOf(commit, len)))));
        }
        List<String> glib = GLibPeer.run(requests);
        int rejected = 0;
        for (int i = 0; i < inputs.size(); i++) {
            boolean glibNormal = Boolean.parseBoolean(glib.get(i));
            boolean oursNormal;
            try {
                Variant.parse(types.get(i), inputs.get(i));
                oursNormal = true;
            } catch (GVariantException e) {
                oursNormal = false;
                rejected++;
            }
            assertThat(oursNormal).as("%s %s (GLib normal form: %s)", types.get(i), HEX.formatHex(inputs.get(i)), glibNormal)
                    .isEqualTo(glibNormal);
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    /** Flips, truncates, extends or zeroes bytes. */
    private static byte[] corrupt(Random r, byte[] good) {
        byte[] b = good.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2 -> {
                b = Arrays.copyOf(b, b.length + 1 + r.nextInt(3));
                b[b.length - 1] = (byte) r.nextInt(256);
            }
            case 3 -> {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            default -> {
                // unchanged: must be accepted by both
            }
        }
        return b;
    }
}
