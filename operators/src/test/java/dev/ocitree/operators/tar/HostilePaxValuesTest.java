package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.OcitreeException;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.PeerTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PAX records whose values are huge or overflow a 64-bit number (size, uid, mtime, the record
 * length itself) are refused with a typed error naming the entry and the offset; never a wrapped
 * number, a negative size or an unchecked exception. GNU tar refuses the same sizes.
 */
class HostilePaxValuesTest {

    @TempDir
    Path tmp;

    @Test
    void overflowingOrHugePaxValuesAreTypedErrors() throws Exception {
        for (String record : List.of(
                "size=99999999999999999999999999",
                "size=-5",
                "size=9223372036854775808",
                "uid=99999999999999999999",
                "gid=-1",
                "mtime=1e400")) {
            byte[] tar = paxArchive(pax(record));
            assertThatThrownBy(() -> parse(tar)).as(record).isInstanceOf(OcitreeException.class)
                    .hasMessageContaining("at byte offset").hasMessageContaining(record.substring(0, record.indexOf('=')));
            if (record.startsWith("size")) {
                // GNU tar cannot read past such a size either (it tolerates odd uid/gid/mtime values,
                // which ocitree refuses rather than guess)
                Path file = tmp.resolve("pax-" + Math.abs(record.hashCode()) + ".tar");
                Files.write(file, tar);
                assertThat(PeerTools.run(tmp, "tar", "-tvf", file.toString()).exitCode()).as("GNU tar on %s", record)
                        .isNotZero();
            }
        }
    }

    @Test
    void aPaxRecordLengthThatOverflowsIsATypedError() {
        byte[] records = "99999999999999999999999 path=x\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(paxArchive(records))).isInstanceOf(OcitreeException.class)
                .hasMessageContaining("at byte offset");
    }

    private static List<Listed> parse(byte[] tar) {
        return Listed.parse(ChunkPlan.fixed(100, ChunkPlan.Kind.HEAP).chunks(tar), StreamLimits.defaults());
    }

    /** One PAX record, its length prefix included. */
    private static byte[] pax(String keyValue) {
        String body = " " + keyValue + "\n";
        int length = body.length() + 1;
        while (Integer.toString(length).length() + body.length() != length) {
            length++;
        }
        return (length + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** A PAX header with {@code records}, then a 5-byte file "a", then the end blocks. */
    private static byte[] paxArchive(byte[] records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header("PaxHeaders/a", 'x', records.length));
        out.writeBytes(padded(records));
        out.writeBytes(header("a", '0', 5));
        out.writeBytes(padded("hello".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] padded(byte[] data) {
        byte[] out = new byte[(data.length + 511) / 512 * 512];
        System.arraycopy(data, 0, out, 0, data.length);
        return out;
    }

    private static byte[] header(String name, char type, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
