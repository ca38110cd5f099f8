package dev.ocitree.operators.tar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.zip.ZipEncoding;

/**
 * UTF-8 that refuses malformed bytes instead of replacing them with {@code '?'} (commons-compress's
 * own UTF-8 encoding replaces), so that two different names in an archive never decode to the same
 * string. Stateless apart from a per-instance decoder: one instance per parser.
 */
final class StrictUtf8 implements ZipEncoding {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    @Override
    public boolean canEncode(String name) {
        return true;
    }

    @Override
    public ByteBuffer encode(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String decode(byte[] data) throws IOException {
        return decode(data, 0, data.length);
    }

    /** Decodes {@code length} bytes at {@code offset}; ASCII (the common case) takes a fast path. */
    String decode(byte[] data, int offset, int length) throws CharacterCodingException {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (data[i] < 0) {
                decoder.reset();
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(data, offset, length));
                return chars.toString();
            }
        }
        return new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** Length of {@code s} in UTF-8 bytes. */
    static int encodedLength(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
