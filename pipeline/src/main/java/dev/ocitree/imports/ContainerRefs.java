package dev.ocitree.imports;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ref scheme for imported images and layers (docs/import.md, "Refs"):
 * {@code ostree/container/image/<encoded image name>} and
 * {@code ostree/container/blob/<encoded layer digest>}.
 *
 * <p>Encoding, per Unicode code point, is ostree-ext's {@code refescape} made safe: ASCII letters
 * and digits are kept, {@code -} is kept except as the first character of a ref component, {@code _}
 * becomes {@code __}, every other code point (including {@code /}, {@code .}, {@code :}, {@code @}
 * and non-ASCII) becomes {@code _<upper-case hex, at least 2 digits>_}. So a layer ref is exactly
 * ostree-ext's ({@code ostree/container/blob/sha256_3A_<hex>}), every encoded name is ASCII and
 * matches the OSTree ref grammar, and since {@code /} is always escaped an image name that is a path
 * prefix of another cannot collide with it as file against directory.
 *
 * <p>A component is at most 255 bytes (NAME_MAX). A name whose encoding is longer is split between
 * escape tokens into {@code n} components of at most 255 bytes under a first component
 * {@code _L<n>}, which no single-component encoding can start with ({@code _} is always followed
 * by {@code _} or a hex digit there); all names with {@code n} components therefore sit at the same
 * depth, and no ref can be a directory of another. Decoding concatenates the components and
 * unescapes; it accepts only the canonical form, so encode and decode are inverse bijections.
 */
public final class ContainerRefs {

    public static final String IMAGE_PREFIX = "ostree/container/image/";
    public static final String BLOB_PREFIX = "ostree/container/blob/";
    /** Refs under here are written by the importer only (ocitree's and ostree-ext's records). */
    static final String RESERVED_NAMESPACE = "ostree/container/";

    /** Largest ref component: NAME_MAX of the file under {@code refs/heads/}. */
    static final int MAX_COMPONENT_BYTES = 255;
    /** Most components a long name is split into (about 3 KiB of encoded name, well inside PATH_MAX). */
    static final int MAX_COMPONENTS = 12;

    private static final Pattern REF = Pattern.compile(
            "([\\w\\d][-._\\w\\d]*/)*[\\w\\d][-._\\w\\d]*", Pattern.UNICODE_CHARACTER_CLASS);

    private ContainerRefs() {
    }

    /**
     * The ref of an imported image, e.g. {@code oci:/img:v1} → {@code ostree/container/image/oci_3A__2F_img_3A_v1}.
     * The importer passes the image's canonical name ({@code ImageNames}: absolute path, tag or digest).
     */
    public static String imageRef(String imageName) {
        return IMAGE_PREFIX + encode(imageName);
    }

    /** The image name an {@link #imageRef} encodes; {@link InvalidRefException} for any other ref. */
    public static String imageName(String ref) {
        return decode(ref, IMAGE_PREFIX);
    }

    /** The ref of a layer commit, keyed by the layer's (compressed) blob digest, as ostree-ext names it. */
    public static String blobRef(String digest) {
        return BLOB_PREFIX + encode(digest);
    }

    /** The digest a {@link #blobRef} encodes. */
    public static String blobDigest(String ref) {
        return decode(ref, BLOB_PREFIX);
    }

    /**
     * Whether {@code ref} is a valid OSTree ref name (OSTREE-FORMAT.md §4.1: {@code /}-separated
     * fragments {@code [\w\d][-._\w\d]*}) whose every component fits in 255 bytes.
     */
    public static boolean isValidRef(String ref) {
        if (!REF.matcher(ref).matches()) {
            return false;
        }
        for (String part : ref.split("/")) {
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
                return false;
            }
        }
        return true;
    }

    /**
     * A ref a user may name for an import ({@code -b}): valid ({@link #isValidRef}) and outside the
     * tool's own namespace {@code ostree/container/} (image and layer records of ocitree and
     * ostree-ext, which prune reads: a branch there would replace another image's record).
     * Throws {@link InvalidRefException} otherwise; returns {@code ref}.
     */
    public static String requireValidRef(String ref) {
        if (!isValidRef(ref)) {
            throw new InvalidRefException("'" + ref + "' is not a valid ref: use /-separated names of letters,"
                    + " digits, '-', '.', '_' not starting with '-' or '.', each at most 255 bytes");
        }
        if ((ref + "/").startsWith(RESERVED_NAMESPACE)) {
            throw new InvalidRefException("'" + ref + "' is in " + RESERVED_NAMESPACE + ", where ocitree and ostree-ext"
                    + " record images and layers: choose a branch outside it");
        }
        return ref;
    }

    /** The part after a prefix: one component, or {@code _L<n>/} and n components. */
    static String encode(String name) {
        if (name.isEmpty()) {
            throw new InvalidRefException("an empty name has no ref");
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == 0 || Character.isSurrogate((char) cp)) {
                throw new InvalidRefException("name '" + name + "' has "
                        + (cp == 0 ? "a NUL character" : "an unpaired surrogate") + " at index " + i);
            }
            tokens.add(token(cp));
            i += Character.charCount(cp);
        }
        int total = tokens.stream().mapToInt(String::length).sum();
        if (total <= MAX_COMPONENT_BYTES) {
            return join(tokens, 0, tokens.size());
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < tokens.size()) {
            int length = 0;
            int end = start;
            while (end < tokens.size() && length + componentToken(tokens.get(end), end == start).length()
                    <= MAX_COMPONENT_BYTES) {
                length += componentToken(tokens.get(end), end == start).length();
                end++;
            }
            parts.add(join(tokens, start, end));
            start = end;
        }
        if (parts.size() > MAX_COMPONENTS) {
            throw new InvalidRefException("name '" + name.substring(0, 64) + "…' is too long for a ref ("
                    + total + " encoded bytes; at most " + MAX_COMPONENTS * MAX_COMPONENT_BYTES + ")");
        }
        return "_L" + parts.size() + "/" + String.join("/", parts);
    }

    private static String token(int cp) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '-') {
            return String.valueOf((char) cp);
        }
        if (cp == '_') {
            return "__";
        }
        return "_" + String.format(Locale.ROOT, "%02X", cp) + "_";
    }

    /** A component may not start with {@code -}: escape it there. */
    private static String componentToken(String token, boolean first) {
        return first && token.equals("-") ? "_2D_" : token;
    }

    private static String join(List<String> tokens, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(componentToken(tokens.get(i), i == from));
        }
        return sb.toString();
    }

    static String decode(String ref, String prefix) {
        if (!ref.startsWith(prefix)) {
            throw new InvalidRefException("ref '" + ref + "' does not start with " + prefix);
        }
        String encoded = ref.substring(prefix.length());
        String concatenated;
        if (encoded.startsWith("_L")) {
            int slash = encoded.indexOf('/');
            String[] parts = slash < 0 ? new String[0] : encoded.substring(slash + 1).split("/", -1);
            if (slash < 0 || !encoded.substring(2, slash).equals(String.valueOf(parts.length))) {
                throw new InvalidRefException("ref '" + ref + "' is not a split name (_L<n> and n components)");
            }
            concatenated = String.join("", parts);
        } else {
            concatenated = encoded;
        }
        String name = unescape(concatenated, ref);
        if (!encode(name).equals(encoded)) {
            throw new InvalidRefException("ref '" + ref + "' is not in the canonical encoding of '" + name + "'");
        }
        return name;
    }

    private static String unescape(String s, String ref) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c != '_') {
                out.append(c);
                i++;
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
                out.append('_');
                i += 2;
            } else {
                int end = s.indexOf('_', i + 1);
                if (end < 0 || end - i - 1 < 2 || end - i - 1 > 6) {
                    throw new InvalidRefException("ref '" + ref + "' has a broken escape at '" + s.substring(i) + "'");
                }
                int cp;
                try {
                    cp = Integer.parseInt(s.substring(i + 1, end), 16);
                } catch (NumberFormatException e) {
                    throw new InvalidRefException("ref '" + ref + "' has a broken escape at '" + s.substring(i) + "'");
                }
                if (!Character.isValidCodePoint(cp)) {
                    throw new InvalidRefException("ref '" + ref + "' escapes an invalid code point " + cp);
                }
                out.appendCodePoint(cp);
                i = end + 1;
            }
        }
        return out.toString();
    }
}
