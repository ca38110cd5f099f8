package dev.ocitree.ostree.gvariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of OSTREE-FORMAT.md §1.10, whose bytes GLib produced
 * ({@code vectors/gvariant_examples.txt}), serialised and parsed back; plus the typed accessors.
 */
class VariantTest {

    private static final HexFormat HEX = HexFormat.of();

    /** Example lines keyed by their first two columns (type and Python value), value = hex column. */
    private static Map<String, String> examples() throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        try (InputStream in = VariantTest.class.getResourceAsStream("/vectors/gvariant_examples.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String key = line.length() > 41 ? line.substring(0, 41).trim() : line.trim();
                String hex = line.length() > 41 ? line.substring(41).trim() : "";
                map.merge(key, hex, (a, b) -> a + "|" + b);
            }
        }
        return map;
    }

    private static String spaced(byte[] b) {
        List<String> parts = new ArrayList<>();
        for (byte x : b) {
            parts.add(String.format("%02x", x & 0xFF));
        }
        return String.join(" ", parts);
    }

    private static void assertExample(Map<String, String> examples, String key, Variant v) {
        assertThat(examples).containsKey(key);
        assertThat(spaced(v.serialize())).as(key).isEqualTo(examples.get(key));
        assertThat(Variant.parse(v.type(), v.serialize())).as(key).isEqualTo(v);
    }

    @Test
    void workedExamplesMatchGLibBytes() throws IOException {
        Map<String, String> ex = examples();
        assertExample(ex, "u 7", Variant.uint32(7));
        assertExample(ex, "u (OSTree BE field, value 0o100644)", Variant.of("u", Integer.reverseBytes(0100644)));
        assertExample(ex, "s 'hi'", Variant.string("hi"));
        assertExample(ex, "ay b'\\x01\\x02\\x03'", Variant.bytes(new byte[] {1, 2, 3}));
        assertExample(ex, "as ['a', 'bc']", Variant.strings(List.of("a", "bc")));
        assertExample(ex, "(us) [1, 'x']", Variant.of("(us)", List.of(1, "x")));
        assertExample(ex, "(su) ['x', 1]", Variant.of("(su)", List.of("x", 1)));
        assertExample(ex, "(ty) [1, 2]", Variant.of("(ty)", List.of(1L, (byte) 2)));
        assertExample(ex, "() []", Variant.of("()", List.of()));
        assertExample(ex, "v ('s', 'x')", Variant.variant(Variant.string("x")));
        assertExample(ex, "ms 'x'", Variant.of("ms", Optional.of("x")));
        assertExample(ex, "ms None", Variant.of("ms", Optional.empty()));
        assertExample(ex, "mu 5", Variant.of("mu", Optional.of(5)));
        assertExample(ex, "{sv} ['k', ('u', 7)]", Variant.of("{sv}", List.of("k", Variant.uint32(7))));
        assertExample(ex, "a{sv} [['k', ('u', 7)]]", Variant.dict(Map.of("k", Variant.uint32(7))));
        assertExample(ex, "a(ayay) [[b'user.a\\x00', b'1']]",
                Variant.of("a(ayay)", List.of(List.of("user.a\0".getBytes(StandardCharsets.US_ASCII), new byte[] {'1'}))));
        assertThat(Variant.strings(List.of()).serialize()).isEmpty();
    }

    @Test
    void offsetWidthGrowsAtTheBoundaryIncludingTheOffsetBytes() throws IOException {
        String[] big = examples().get("as '...'").split("\\|");
        byte[] b253 = Variant.strings(List.of("x".repeat(253))).serialize();
        byte[] b254 = Variant.strings(List.of("x".repeat(254))).serialize();
        assertThat(b253).hasSize(255);
        assertThat(big[0]).endsWith(spaced(new byte[] {0x78, 0, (byte) 0xfe}) + "  (255 bytes)");
        assertThat(b254).hasSize(257);
        assertThat(big[1]).endsWith(spaced(new byte[] {0x78, 0, (byte) 0xff, 0}) + "  (257 bytes)");
        assertThat(spaced(b253)).endsWith("78 00 fe");
        assertThat(spaced(b254)).endsWith("78 00 ff 00");
        assertThat(Variant.parse("as", b254).asStrings()).containsExactly("x".repeat(254));
    }

    @Test
    void refBindingMetadataMatchesGLib() throws IOException {
        String line = examples().get("a{sv} '...'");
        byte[] b = Variant.dict(Map.of("ostree.ref-binding", Variant.strings(List.of("main")))).serialize();
        assertThat(b).hasSize(35);
        assertThat(line).startsWith(spaced(java.util.Arrays.copyOf(b, 10))).endsWith(
                spaced(java.util.Arrays.copyOfRange(b, 28, 35)) + "  (35 bytes)");
    }

    @Test
    void fourByteOffsetsRoundTrip() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 7000; i++) {
            many.add("entry-" + i);
        }
        byte[] b = Variant.strings(many).serialize();
        assertThat(b.length).isGreaterThan(0xFFFF);
        assertThat(Variant.parse("as", b).asStrings()).isEqualTo(many);
    }

    @Test
    void typedAccessorsReadBackTheFactoriesValues() {
        assertThat(Variant.uint32(0xFFFFFFFFL).asLong()).isEqualTo(0xFFFFFFFFL);
        assertThat(Variant.uint64(-1L).toString()).isEqualTo("18446744073709551615");
        assertThat(Variant.bool(true).asBoolean()).isTrue();
        assertThat(Variant.string("é").asString()).isEqualTo("é");
        assertThat(Variant.bytes(new byte[] {9}).asBytes()).containsExactly(9);
        Variant dict = Variant.dict(Map.of("a", Variant.variant(Variant.int64(-5))));
        Variant back = Variant.parse("a{sv}", dict.serialize());
        assertThat(back.asDict().get("a").asVariant().asLong()).isEqualTo(-5);
        assertThat(back.toString()).isEqualTo("{'a': <<-5>>}");
    }

    @Test
    void valuesThatDoNotMatchTheirTypeAreRefused() {
        assertThatThrownBy(() -> Variant.of("(us)", List.of("x", 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("u");
        assertThatThrownBy(() -> Variant.of("a{", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Variant.of("{vs}", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Variant.string("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Variant.uint32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HEX.formatHex(Variant.of("(yqut)", List.of((byte) 1, (short) 2, 3, 4L)).serialize()))
                .isEqualTo("0100020003000000" + "0400000000000000");
    }
}
