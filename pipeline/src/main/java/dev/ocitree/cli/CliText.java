package dev.ocitree.cli;

/**
 * Text the CLI prints about names it did not choose (paths, entry names, refs, image names): every
 * control character, line or paragraph separator and bidirectional override is escaped, so a
 * hostile entry name cannot forge a second line or reorder a message on the terminal.
 */
final class CliText {

    private CliText() {
    }

    /**
     * {@code s} with {@code \} as {@code \\}, newline, carriage return and tab as {@code \n},
     * {@code \r}, {@code \t}, other C0/C1 controls and DEL as {@code \xNN}, and U+2028/2029 and the
     * bidi controls (U+200E/F, U+202A–E, U+2066–9) as {@code <U+XXXX>}; {@code null} as {@code null}.
     */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = replacement(c);
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                b.append(rep != null ? rep : String.valueOf(c));
            }
        }
        return b == null ? s : b.toString();
    }

    /** {@code 1 layer}, {@code 2 layers}. */
    static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** {@code 1 entry}, {@code 2 entries}. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    private static String replacement(char c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return String.format("\\x%02x", (int) c);
        }
        if (c == '\u2028' || c == '\u2029' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')) {
            return String.format("<U+%04X>", (int) c);
        }
        return null;
    }
}
