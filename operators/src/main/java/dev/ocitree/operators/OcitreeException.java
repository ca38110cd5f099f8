package dev.ocitree.operators;

/**
 * Root of every error ocitree raises on purpose. Subclasses carry the context that locates the
 * problem (layer digest, tar entry name, byte offset, object checksum, ref name), and their message
 * names the input and the cause.
 *
 * <p>Messages quote hostile input (entry names, link targets, JSON strings), so control characters
 * (C0, DEL, C1) in a message are written as {@code \xNN}: an error is always one line, and a name
 * cannot move the terminal's cursor or forge a second {@code error:} line.
 */
public class OcitreeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OcitreeException(String message) {
        super(escapeControls(message));
    }

    public OcitreeException(String message, Throwable cause) {
        super(escapeControls(message), cause);
    }

    /** {@code text} with every control character (C0, DEL, C1) as {@code \xNN}; null stays null. */
    public static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
            if (control && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }
}
