package dev.ocitree.ostree;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ocitree.ostree.gvariant.GVariantException;

/**
 * Fuzz target: any bytes read as a dirtree, dirmeta or commit (the first byte picks which) either
 * fail with {@link GVariantException} or {@link OstreeFormatException}, or parse to an object whose
 * serialisation is exactly those bytes (normal form: one object, one byte string; for dirtrees this
 * also checks the direct writer, {@code DirtreeEncoder}). The seed corpus
 * ({@code GVariantObjectsFuzzTestInputs/}: objects ostree wrote) runs in every build.
 */
class GVariantObjectsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseToTheirNormalFormOrFailTyped(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] object = java.util.Arrays.copyOfRange(data, 1, data.length);
        try {
            byte[] again = switch ((data[0] & 0xff) % 3) {
                case 0 -> Dirtree.parse(object).serialize();
                case 1 -> Dirmeta.parse(object).serialize();
                default -> Commit.parse(object).serialize();
            };
            assertThat(again).isEqualTo(object);
        } catch (GVariantException | OstreeFormatException expected) {
            // refused with a typed error
        }
    }
}
