package dev.ocitree.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic file contents that compress like real ones: source-like text (a seeded vocabulary
 * in indented lines, ~3-4x with gzip) and binary-like data (a mix of random, small-alphabet, zero and
 * string blocks, ~1.5-2x), each a pure function of a seed.
 */
final class Content {
    private static final int BLOCK = 4096;
    private final byte[][] words;

    Content(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String letters = "eeeeeeeeeeeettttttttaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddlllluuucccmmmwwffggyyppbbvkjxqz";
        String[] fixed = {"{", "}", "(", ")", ";", "=", "==", "->", "return", "if", "else", "for", "int", "const",
            "static", "void", "the", "of", "and", "to", "in", "0", "1", "NULL", "#include", "//", "*", "+", "self"};
        words = new byte[4096][];
        for (int i = 0; i < words.length; i++) {
            if (i < fixed.length) {
                words[i] = fixed[i].getBytes(StandardCharsets.US_ASCII);
                continue;
            }
            int len = 2 + r.nextInt(9);
            byte[] w = new byte[len];
            for (int j = 0; j < len; j++) {
                w[j] = (byte) letters.charAt(r.nextInt(letters.length()));
            }
            if (r.nextInt(8) == 0) {
                w[0] = (byte) Character.toUpperCase(w[0]);
            }
            words[i] = w;
        }
    }

    /** Fills {@code b[0..len)} with text lines; frequent words come from the head of the vocabulary. */
    void text(byte[] b, int len, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int p = 0;
        while (p < len) {
            int indent = r.nextInt(4) * 4;
            for (int i = 0; i < indent && p < len; i++) {
                b[p++] = ' ';
            }
            int n = 3 + r.nextInt(12);
            for (int k = 0; k < n && p < len; k++) {
                // skewed choice: min of two uniforms favours low indexes (Zipf-like)
                int idx = Math.min(r.nextInt(words.length), r.nextInt(words.length));
                byte[] w = words[idx];
                int c = Math.min(w.length, len - p);
                System.arraycopy(w, 0, b, p, c);
                p += c;
                if (p < len) {
                    b[p++] = ' ';
                }
            }
            if (p < len) {
                b[p++] = '\n';
            }
        }
    }

    /** Fills {@code b[0..len)} with binary-like data made of 4 KiB blocks of mixed entropy. */
    void binary(byte[] b, int len, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int off = 0; off < len; off += BLOCK) {
            int end = Math.min(len, off + BLOCK);
            int kind = r.nextInt(20);
            if (kind < 7) { // packed / random: incompressible
                int i = off;
                for (; i + 8 <= end; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        b[i + k] = (byte) (v >>> (k * 8));
                    }
                }
                for (; i < end; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            } else if (kind < 15) { // machine-code-like: small alphabet
                for (int i = off; i < end; i++) {
                    int v = r.nextInt(64);
                    b[i] = (byte) (v < 32 ? v : (v < 48 ? 0x48 + (v & 7) : 0xff - (v & 15)));
                }
            } else if (kind < 18) { // zero padding
                for (int i = off; i < end; i++) {
                    b[i] = 0;
                }
            } else { // string tables
                byte[] tmp = new byte[end - off];
                text(tmp, tmp.length, r.nextLong());
                System.arraycopy(tmp, 0, b, off, tmp.length);
            }
        }
    }
}
