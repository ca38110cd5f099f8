package dev.ocitree.ostree.gvariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Truncated and non-normal input is refused with a {@link GVariantException} naming the type and
 * the offset. {@link GLibCrossCheckTest} confirms GLib also considers each of these non-normal.
 */
class GVariantRejectionTest {

    static final String COMMIT = "(a{sv}aya(say)sstayay)";

    static byte[] commitA() throws IOException {
        try (InputStream in = GVariantRejectionTest.class.getResourceAsStream("/vectors/a-archive/commit.bin")) {
            return in.readAllBytes();
        }
    }

    private static GVariantException reject(String type, byte[] data) {
        GVariantException e = catchThrowableOfType(GVariantException.class, () -> Variant.parse(type, data));
        assertThat(e).as("parse of %s %s", type, HexFormat.of().formatHex(data)).isNotNull();
        assertThat(e.getMessage()).contains("'" + e.type() + "'").contains("offset " + e.offset());
        return e;
    }

    @Test
    void everyTruncationOfARealCommitIsRejected() throws IOException {
        byte[] commit = commitA();
        assertThat(Variant.parse(COMMIT, commit).serialize()).isEqualTo(commit);
        for (int len = 0; len < commit.length; len++) {
            reject(COMMIT, java.util.Arrays.copyOf(commit, len));
        }
    }

    @Test
    void nonZeroPaddingInACommitIsRejectedAtItsOffset() throws IOException {
        byte[] commit = commitA();
        commit[0x47] = 1; // the pad byte before the big-endian timestamp
        GVariantException e = reject(COMMIT, commit);
        assertThat(e.offset()).isEqualTo(0x47);
        assertThat(e.getMessage()).contains("non-zero padding");
        byte[] again = commitA();
        again[0x14] = 7; // padding inside the metadata dict entry, before the variant
        assertThat(reject(COMMIT, again).offset()).isEqualTo(0x14);
    }

    @Test
    void badFramingOffsetsAreRejected() throws IOException {
        byte[] commit = commitA();
        commit[commit.length - 1] = (byte) 0xF0; // metadata end beyond the body
        assertThat(reject(COMMIT, commit).getMessage()).contains("framing offset");
        byte[] swapped = commitA();
        swapped[swapped.length - 3] = 0x50; // subject end after body end
        reject(COMMIT, swapped);
        // as ['a','bc'] with offsets out of order
        assertThat(reject("as", HexFormat.of().parseHex("61006263000502")).type()).isEqualTo("as");
        // as whose last offset points into the offset table
        reject("as", HexFormat.of().parseHex("6100626300020a"));
    }

    @Test
    void wrongSizesAreRejected() {
        assertThat(reject("u", new byte[3]).getMessage()).contains("truncated");
        reject("u", new byte[5]);
        reject("(ty)", new byte[15]);
        reject("(ty)", new byte[17]);
        reject("()", new byte[0]);
        reject("()", new byte[] {1});
        reject("au", new byte[6]);
        reject("mu", new byte[3]);
        reject("(uu)", new byte[7]);
    }

    @Test
    void stringsAndBooleansMustBeCanonical() {
        reject("b", new byte[] {2});
        assertThat(reject("s", new byte[0]).getMessage()).contains("truncated");
        assertThat(reject("s", new byte[] {'a', 'b'}).getMessage()).contains("NUL-terminated");
        assertThat(reject("s", new byte[] {'a', 0, 'b', 0}).offset()).isEqualTo(1);
        assertThat(reject("s", new byte[] {(byte) 0xC3, 0x28, 0}).getMessage()).contains("UTF-8");
        reject("ms", new byte[] {'x', 0, 1});
    }

    @Test
    void variantsNeedOneValidTypeString() {
        reject("v", new byte[] {'x', 0, 0, 's', 's'});
        reject("v", new byte[] {'x', 0, 0, 'a'});
        reject("v", new byte[] {'x', 'y'});
        reject("v", new byte[0]);
        assertThat(reject("v", new byte[] {5, 0, 0, 'u'}).type()).isEqualTo("u");
    }

    @Test
    void offsetsWiderThanNormalFormAreRejected() {
        // three strings in a 250-byte body: normal form uses 1-byte offsets (253 bytes); the same
        // strings with 2-byte offsets make 256 bytes, self-consistent but not normal
        byte[] data = new byte[256];
        java.util.Arrays.fill(data, 0, 249, (byte) 'x');
        data[99] = 0;
        data[199] = 0;
        data[249] = 0;
        int[] ends = {100, 200, 250};
        for (int i = 0; i < 3; i++) {
            data[250 + 2 * i] = (byte) ends[i];
            data[251 + 2 * i] = (byte) (ends[i] >> 8);
        }
        assertThat(reject("as", data).getMessage()).contains("normal form uses 1");
    }

    @Test
    void deeplyNestedVariantsAreRefusedWithoutStackOverflow() {
        int depth = 100_000;
        byte[] data = new byte[3 + depth * 2];
        data[0] = 1;
        int pos = 1;
        data[pos++] = 0;
        data[pos++] = 'y';
        for (int i = 1; i < depth; i++) {
            data[pos++] = 0;
            data[pos++] = 'v';
        }
        byte[] exact = java.util.Arrays.copyOf(data, pos);
        assertThat(reject("v", exact).getMessage()).contains("nested deeper");
    }
}
