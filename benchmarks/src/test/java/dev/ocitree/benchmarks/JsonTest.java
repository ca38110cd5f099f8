package dev.ocitree.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void compactOutputKeepsInsertionOrderAndEscapes() {
        String s = Json.write(Json.obj("b", 1, "a", List.of("x\"y", "tab\there"), "n", null, "t", true,
                "u", "\u0001"), false);
        assertThat(s).isEqualTo("{\"b\":1,\"a\":[\"x\\\"y\",\"tab\\there\"],\"n\":null,\"t\":true,\"u\":\"\\u0001\"}");
    }

    @Test
    void nanIsWrittenAsNull() {
        assertThat(Json.write(Json.obj("v", Double.NaN), false)).isEqualTo("{\"v\":null}");
    }
}
