package dev.ocitree.operators.tar;

import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the data of a PAX extended header ({@code 'x'} or {@code 'g'}): records
 * {@code "<length> <key>=<value>\n"} where {@code length} counts the whole record in bytes. Values
 * stay bytes (xattr values are binary); keys must be UTF-8. Any deviation is a
 * {@link TarFormatException}, as in Go's {@code archive/tar}.
 */
final class PaxRecords {

    private PaxRecords() {
    }

    /**
     * @param data       the header's content
     * @param entryName  the extended header's own name, for errors
     * @param dataOffset byte offset of {@code data} in the tar stream, for errors
     * @return the records in order; a later record for the same key replaces an earlier one; an empty
     *         value is kept (it means "delete this key")
     */
    static Map<String, byte[]> parse(byte[] data, StrictUtf8 utf8, String entryName, long dataOffset) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int start = pos;
            long length = 0;
            while (pos < data.length && data[pos] >= '0' && data[pos] <= '9') {
                length = length * 10 + (data[pos] - '0');
                if (length > data.length) {
                    throw malformed(entryName, dataOffset + start, "record length exceeds the header's size");
                }
                pos++;
            }
            if (pos == start || pos >= data.length || data[pos] != ' ') {
                throw malformed(entryName, dataOffset + start, "record does not start with '<length> '");
            }
            int end = start + (int) length;
            int keyStart = pos + 1;
            if (end > data.length || end <= keyStart || data[end - 1] != '\n') {
                throw malformed(entryName, dataOffset + start,
                        "record length " + length + " does not end at a newline");
            }
            int eq = keyStart;
            while (eq < end - 1 && data[eq] != '=') {
                eq++;
            }
            if (eq == keyStart || eq == end - 1) {
                throw malformed(entryName, dataOffset + start, "record has no '<key>='");
            }
            String key;
            try {
                key = utf8.decode(data, keyStart, eq - keyStart);
            } catch (CharacterCodingException e) {
                throw malformed(entryName, dataOffset + start, "record key is not UTF-8");
            }
            records.put(key, Arrays.copyOfRange(data, eq + 1, end - 1));
            pos = end;
        }
        return records;
    }

    private static TarFormatException malformed(String entryName, long offset, String reason) {
        return new TarFormatException(entryName, offset, "malformed PAX extended header: " + reason);
    }
}
