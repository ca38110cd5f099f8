package dev.ocitree.ostree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The direct dirtree writer gives the bytes of the generic GVariant serialiser (itself checked
 * against ostree's objects in OstreeVectorsTest) for trees whose containers need 1-, 2- and 4-byte
 * framing offsets, and they parse back to the same tree.
 */
class DirtreeEncoderTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 5, 40, 300, 2000, 70_000})
    void writesTheGenericSerialisersBytes(int entries) {
        Random random = new Random(entries);
        TreeMap<String, Checksum> files = new TreeMap<>(FileNames.UTF8_ORDER);
        TreeMap<String, Dirtree.Subdir> dirs = new TreeMap<>(FileNames.UTF8_ORDER);
        for (int i = 0; i < entries; i++) {
            String name = name(random, i);
            if (random.nextInt(4) == 0) {
                dirs.put(name, new Dirtree.Subdir(checksum(random), checksum(random)));
            } else {
                files.put(name, checksum(random));
            }
        }
        Dirtree tree = new Dirtree(files, dirs);
        byte[] direct = tree.serialize();
        assertThat(direct).isEqualTo(generic(tree));
        assertThat(Dirtree.parse(direct)).isEqualTo(tree);
        MutableTree mutable = new MutableTree(checksum(random));
        files.forEach(mutable::putFile);
        List<byte[]> written = new ArrayList<>();
        mutable.writeSerialized((c, bytes) -> written.add(bytes));
        if (dirs.isEmpty()) {
            assertThat(written).hasSize(1);
            assertThat(written.get(0)).isEqualTo(new Dirtree(files, new TreeMap<>()).serialize());
        }
    }

    private static byte[] generic(Dirtree tree) {
        List<Object> f = new ArrayList<>();
        tree.files().forEach((name, c) -> f.add(List.of(name, c.rawBytes())));
        List<Object> d = new ArrayList<>();
        tree.dirs().forEach((name, s) -> d.add(List.of(name, s.tree().rawBytes(), s.meta().rawBytes())));
        return Variant.of("(a(say)a(sayay))", List.of(f, d)).serialize();
    }

    private static String name(Random random, int i) {
        int length = switch (random.nextInt(5)) {
            case 0 -> 1 + random.nextInt(250);
            case 1 -> 200 + random.nextInt(56);
            default -> 1 + random.nextInt(12);
        };
        StringBuilder sb = new StringBuilder(Integer.toString(i, 36)).append('-');
        while (sb.length() < length) {
            sb.append(random.nextInt(10) == 0 ? 'é' : (char) ('a' + random.nextInt(26)));
        }
        return sb.length() > 200 ? sb.substring(0, 200) : sb.toString();
    }

    private static Checksum checksum(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Checksum.of(b);
    }
}
