package dev.ocitree.operators.compress;

/**
 * Decodes one lz4 block whose matches may reach back before the block, into the previous output
 * (linked blocks, {@code lz4 -BD}); lz4-java's decompressors only accept self-contained blocks.
 * Every read and write is bounds-checked: hostile input fails with {@link IllegalArgumentException}.
 */
final class Lz4LinkedBlocks {

    private Lz4LinkedBlocks() {
    }

    /**
     * Decodes {@code src[0, srcLength)} into {@code dst} from {@code dstStart}, writing no further
     * than {@code dstLimit}; {@code dst[0, dstStart)} is the history matches may refer to. Returns
     * the end offset of the decoded bytes.
     */
    static int decode(byte[] src, int srcLength, byte[] dst, int dstStart, int dstLimit) {
        int sp = 0;
        int dp = dstStart;
        for (;;) {
            if (sp >= srcLength) {
                throw new IllegalArgumentException("block ends inside a sequence at " + sp);
            }
            int token = src[sp++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    if (sp >= srcLength) {
                        throw new IllegalArgumentException("block ends inside a literal length at " + sp);
                    }
                    b = src[sp++] & 0xFF;
                    literals += b;
                } while (b == 255);
            }
            if (literals > srcLength - sp || literals > dstLimit - dp) {
                throw new IllegalArgumentException("literal run of " + literals + " bytes overruns the block at " + sp);
            }
            System.arraycopy(src, sp, dst, dp, literals);
            sp += literals;
            dp += literals;
            if (sp == srcLength) {
                return dp;
            }
            if (srcLength - sp < 2) {
                throw new IllegalArgumentException("block ends inside a match offset at " + sp);
            }
            int offset = (src[sp] & 0xFF) | (src[sp + 1] & 0xFF) << 8;
            sp += 2;
            if (offset == 0 || offset > dp) {
                throw new IllegalArgumentException("match offset " + offset + " reaches before the history at " + sp);
            }
            int length = token & 0x0F;
            if (length == 15) {
                int b;
                do {
                    if (sp >= srcLength) {
                        throw new IllegalArgumentException("block ends inside a match length at " + sp);
                    }
                    b = src[sp++] & 0xFF;
                    length += b;
                } while (b == 255);
            }
            length += 4;
            if (length > dstLimit - dp) {
                throw new IllegalArgumentException("match of " + length + " bytes overruns the block maximum at " + sp);
            }
            int from = dp - offset;
            if (offset >= length) {
                System.arraycopy(dst, from, dst, dp, length);
            } else {
                for (int i = 0; i < length; i++) {
                    dst[dp + i] = dst[from + i];
                }
            }
            dp += length;
        }
    }
}
