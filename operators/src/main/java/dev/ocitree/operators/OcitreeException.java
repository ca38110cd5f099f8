package dev.ocitree.operators;

/**
 * Root of every error ocitree raises on purpose. Subclasses carry the context that locates the
 * problem (layer digest, tar entry name, byte offset, object checksum, ref name), and their message
 * names the input and the cause.
 *
 * <p>Messages quote hostile input (entry names, link targets, JSON strings), so every message is
 * passed through {@link #escapeControls}: an error is always one line, and a name cannot move the
 * terminal's cursor, reorder the line or forge a second {@code error:} line.
 */
public class OcitreeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OcitreeException(String message) {
        super(escapeControls(message));
    }

    public OcitreeException(String message, Throwable cause) {
        super(escapeControls(message), cause);
    }

    /**
     * {@code text} made safe to print on one line: {@code \} as {@code \\}, newline, carriage
     * return and tab as {@code \n}, {@code \r}, {@code \t}, other C0/C1 controls and DEL as
     * {@code \xNN}, and U+2028/2029 and the bidi controls (U+200E/F, U+202A–E, U+2066–9) as
     * {@code <U+XXXX>}; null stays null. Every message of this class has been through it.
     */
    public static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String rep = replacement(c);
            if (rep != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
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
