package dev.ocitree.ostree;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;

/**
 * Computes the checksum of a content object while its content streams past (OSTREE-FORMAT.md §2.3):
 * SHA-256 over the length-prefixed {@code (uuuusa(ayay))} header of {@link FileMeta#fileHeader()}
 * followed by the raw content. The size is known up front (from the tar header); the checksum only
 * at the end. Not thread-safe; pure CPU work.
 */
public final class FileObjectHasher {

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final FileMeta meta;
    private final long contentSize;
    private final MessageDigest digest;
    private long seen;
    private boolean finished;

    /**
     * @param meta the metadata exactly as it is to be hashed (canonicalise it for the repository
     *     mode first, see {@link FileMeta#canonical})
     * @param contentSize the number of content bytes that will follow; 0 for a symlink
     */
    public FileObjectHasher(FileMeta meta, long contentSize) {
        if (contentSize < 0 || meta.isSymlink() && contentSize != 0) {
            throw new OstreeFormatException("invalid content size " + contentSize + " for " + meta
                    + (meta.isSymlink() ? ": a symlink has no content" : ""));
        }
        this.meta = meta;
        this.contentSize = contentSize;
        this.digest = Checksum.newDigest();
        digest.update(meta.fileHeader());
    }

    /** Checksum of a complete content object. */
    public static Checksum checksum(FileMeta meta, byte[] content) {
        FileObjectHasher h = new FileObjectHasher(meta, content.length);
        h.update(content, 0, content.length);
        return h.finish();
    }

    /**
     * Hashes the readable bytes of {@code chunk}. Neither releases the buffer nor moves its reader
     * index: the caller keeps ownership.
     *
     * @throws OstreeFormatException if more bytes arrive than the declared size
     */
    public void update(ByteBuf chunk) {
        int n = chunk.readableBytes();
        count(n);
        if (chunk.hasArray()) {
            digest.update(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), n);
            return;
        }
        // direct memory: through this thread's scratch array (MessageDigest would allocate a
        // 4 KiB array of its own per digest, that is per object: 47,000 of them for /usr/share)
        byte[] scratch = SCRATCH.get();
        for (int done = 0; done < n; ) {
            int step = Math.min(scratch.length, n - done);
            chunk.getBytes(chunk.readerIndex() + done, scratch, 0, step);
            digest.update(scratch, 0, step);
            done += step;
        }
    }

    /** Hashes {@code data[offset, offset + length)}. */
    public void update(byte[] data, int offset, int length) {
        count(length);
        digest.update(data, offset, length);
    }

    private void count(int n) {
        if (finished) {
            throw new IllegalStateException("hasher already finished");
        }
        seen += n;
        if (seen > contentSize) {
            throw new OstreeFormatException("content of " + meta + " is longer than its declared size " + contentSize);
        }
    }

    /** Bytes of content hashed so far. */
    public long bytesHashed() {
        return seen;
    }

    /**
     * The content checksum.
     *
     * @throws OstreeFormatException if fewer bytes arrived than declared
     */
    public Checksum finish() {
        if (finished) {
            throw new IllegalStateException("hasher already finished");
        }
        finished = true;
        if (seen != contentSize) {
            throw new OstreeFormatException("content of " + meta + " ended after " + seen + " of its declared "
                    + contentSize + " bytes");
        }
        return Checksum.finish(digest);
    }
}
