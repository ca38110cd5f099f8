package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.ArchiveFileEncoder;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.RepoMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One content object being written to a file in the staging area (OSTREE-FORMAT.md §3.4), in the
 * stored form of the repository's mode, while (optionally) its §2.3 checksum is computed:
 * <ul>
 *   <li>archive: {@code .filez} = header with the size, then raw deflate of the content; 0644;</li>
 *   <li>bare-user: the content (a symlink: its target + NUL), permissions
 *       {@code (mode & 0775) | 0400} (0644 for symlinks), {@code user.ostreemeta} xattr, mtime 0;</li>
 *   <li>bare-user-only: the content with the canonical mode and mtime 0; symlinks are real.</li>
 * </ul>
 * No fsync here: {@link Staging#publish} syncs once per transaction, as ostree does.
 * Blocking; not thread-safe. {@link #write} does not release the chunk it is given; {@link #abort}
 * removes the file.
 */
final class StagedContent {

    private static final int CHUNK = 64 * 1024;

    private final LooseObjects store;
    private final FileMeta meta;
    private final long size;
    private final Path file;
    private final FileObjectHasher hasher;
    private final ArchiveFileEncoder encoder;
    private final ByteBuf compressed;
    private FileChannel channel;
    private long received;
    private boolean done;

    private StagedContent(LooseObjects store, FileMeta meta, long size, int zlibLevel, Path file, boolean hash)
            throws IOException {
        this.store = store;
        this.meta = meta;
        this.size = size;
        this.file = file;
        this.hasher = hash ? new FileObjectHasher(meta, size) : null;
        RepoMode mode = store.mode();
        boolean realSymlink = meta.isSymlink() && mode == RepoMode.BARE_USER_ONLY;
        if (!realSymlink) {
            channel = NewFiles.create(file, storedPermissions(meta, mode));
        }
        if (mode == RepoMode.ARCHIVE) {
            encoder = new ArchiveFileEncoder(meta, size, zlibLevel);
            compressed = Unpooled.buffer(CHUNK);
            ByteBuf header = encoder.header();
            try {
                writeFully(header);
            } finally {
                header.release();
            }
        } else {
            encoder = null;
            compressed = null;
        }
    }

    /**
     * Creates {@code file} for an object of {@code meta} (already canonical for the mode) with
     * {@code size} bytes; {@code hash}: compute the checksum while writing (false when the caller
     * knows it already).
     */
    static StagedContent open(LooseObjects store, FileMeta meta, long size, int zlibLevel, Path file, boolean hash)
            throws IOException {
        if (meta.isSymlink() && size != 0) {
            throw new ContentSizeMismatchException(store.repo(), "symlink " + meta, 0, size);
        }
        return new StagedContent(store, meta, size, zlibLevel, file, hash);
    }

    /** The file being written. */
    Path file() {
        return file;
    }

    /** Hashes (when asked) and stores a chunk of content; the caller keeps ownership of it. */
    void write(ByteBuf chunk) throws IOException {
        received += chunk.readableBytes();
        if (received > size) {
            throw new ContentSizeMismatchException(store.repo(), "content of " + meta, size, received);
        }
        if (hasher != null) {
            hasher.update(chunk);
        }
        if (encoder != null) {
            compressed.clear();
            encoder.update(chunk, compressed);
            writeFully(compressed);
        } else {
            writeFully(chunk);
        }
    }

    /**
     * Completes the file: checks the size, sets permissions/xattrs/mtime and closes it. Returns the
     * content checksum when hashing, else null.
     */
    Checksum complete() throws IOException {
        if (received != size) {
            throw new ContentSizeMismatchException(store.repo(), "content of " + meta, size, received);
        }
        Checksum checksum = hasher == null ? null : hasher.finish();
        RepoMode mode = store.mode();
        if (encoder != null) {
            compressed.clear();
            encoder.finish(compressed);
            writeFully(compressed);
        }
        if (mode == RepoMode.BARE_USER_ONLY && meta.isSymlink()) {
            Files.createSymbolicLink(file, Path.of(meta.symlinkTarget()));
        } else {
            if (mode == RepoMode.BARE_USER && meta.isSymlink()) {
                writeFully(Unpooled.wrappedBuffer(meta.bareUserSymlinkContent()));
            }
            channel.close();
            NewFiles.finishMode(file, storedPermissions(meta, mode));
            if (mode == RepoMode.BARE_USER) {
                BareUserXattr.write(store.repo(), file, meta.bareUserMeta());
            }
            if (mode != RepoMode.ARCHIVE) {
                NewFiles.zeroMtime(file);
            }
        }
        done = true;
        release();
        return checksum;
    }

    /** The permissions of the stored file of a regular object (a bare-user symlink is a file too). */
    private static int storedPermissions(FileMeta meta, RepoMode mode) {
        return switch (mode) {
            case ARCHIVE -> 0644;
            case BARE_USER -> meta.bareUserStoredPermissions();
            case BARE_USER_ONLY -> meta.permissions();
        };
    }

    /** Discards the file (idempotent). */
    void abort() {
        release();
        if (!done) {
            done = true;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort: the staging directory is removed as a whole later
            }
        }
    }

    private void release() {
        if (encoder != null) {
            encoder.close();
        }
        if (compressed != null && compressed.refCnt() > 0) {
            compressed.release();
        }
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing after failure
            }
        }
    }

    private void writeFully(ByteBuf buf) throws IOException {
        for (ByteBuffer b : buf.nioBuffers()) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }
}
