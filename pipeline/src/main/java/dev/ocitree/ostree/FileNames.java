package dev.ocitree.ostree;

import java.util.Comparator;

/** Rules for names inside a dirtree (OSTREE-FORMAT.md §2.6): order and validity. */
final class FileNames {

    /**
     * Order of names by their UTF-8 bytes, as ostree sorts with {@code strcmp}. UTF-8 byte order is
     * code-point order, which differs from {@link String#compareTo} (UTF-16) above U+FFFF.
     */
    static final Comparator<String> UTF8_ORDER = FileNames::compareUtf8;

    private FileNames() {
    }

    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Checks a single path component: not empty, not {@code .} or {@code ..}, no {@code /} or NUL,
     * no unpaired surrogate (it must be encodable as UTF-8).
     *
     * @throws OstreeFormatException naming the name and the rule otherwise
     */
    static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new OstreeFormatException("invalid file name: empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new OstreeFormatException("invalid file name '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\0') {
                throw new OstreeFormatException("invalid file name '" + name.replace("\0", "\\0") + "': contains "
                        + (c == '/' ? "'/'" : "NUL"));
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new OstreeFormatException("invalid file name: unpaired surrogate at index " + i);
            }
        }
        return name;
    }

    /**
     * A name as error messages quote it: at most 256 characters (the message's
     * {@code OcitreeException} escapes control characters).
     */
    static String printable(String name) {
        int end = name.offsetByCodePoints(0, Math.min(256, name.codePointCount(0, name.length())));
        return end == name.length() ? name : name.substring(0, end) + "...(" + name.length() + " chars)";
    }
}
