package dev.ocitree.cli;

import dev.ocitree.operators.OcitreeException;

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
        return s == null ? "null" : OcitreeException.escapeControls(s);
    }

    /** {@code 1 layer}, {@code 2 layers}. */
    static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** {@code 1 entry}, {@code 2 entries}. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
