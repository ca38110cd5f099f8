package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.ArchiveFileEncoder;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * One content object being written: a temp file in {@code REPO/tmp/} that receives the stored form
 * for the repository's mode while the §2.3 checksum is computed, then is fsynced and renamed to
 * {@code objects/XX/REST.file[z]} unless that object already exists (OSTREE-FORMAT.md §3.4):
 * <ul>
 *   <li>archive: {@code .filez} = header with the size, then raw deflate of the content; 0644;</li>
 *   <li>bare-user: the content (a symlink: its target + NUL), permissions
 *       {@code (mode & 0775) | 0400} (0644 for symlinks), {@code user.ostreemeta} xattr, mtime 0;</li>
 *   <li>bare-user-only: the content with the canonical mode and mtime 0; symlinks are real.</li>
 * </ul>
 * Blocking; not thread-safe: the caller serialises calls on the repository's scheduler.
 * {@link #write} releases the chunk it is given; {@link #abort} removes the temp file.
 */
final class StagedContent {

    private static final int CHUNK = 64 * 1024;

    private final LooseObjects store;
    private final FileMeta meta;
    private final long size;
    private final Path temp;
    private final FileObjectHasher hasher;
    private final ArchiveFileEncoder encoder;
    private final ByteBuf compressed;
    private FileChannel channel;
    private long received;
    private boolean done;

    private StagedContent(LooseObjects store, FileMeta meta, long size, int zlibLevel) throws IOException {
        this.store = store;
        this.meta = meta;
        this.size = size;
        this.temp = store.files().newTempPath("file");
        this.hasher = new FileObjectHasher(meta, size);
        RepoMode mode = store.mode();
        boolean realSymlink = meta.isSymlink() && mode == RepoMode.BARE_USER_ONLY;
        if (!realSymlink) {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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

    /** Opens a temp file for an object of {@code meta} (already canonical for the mode) with {@code size} bytes. */
    static StagedContent open(LooseObjects store, FileMeta meta, long size, int zlibLevel) throws IOException {
        if (meta.isSymlink() && size != 0) {
            throw new ContentSizeMismatchException(store.repo(), "symlink " + meta, 0, size);
        }
        return new StagedContent(store, meta, size, zlibLevel);
    }

    /** Hashes and stores a chunk of content, then releases it. */
    void write(ByteBuf chunk) throws IOException {
        try {
            received += chunk.readableBytes();
            if (received > size) {
                throw new ContentSizeMismatchException(store.repo(), "content of " + meta, size, received);
            }
            hasher.update(chunk);
            if (encoder != null) {
                compressed.clear();
                encoder.update(chunk, compressed);
                writeFully(compressed);
            } else {
                writeFully(chunk);
            }
        } finally {
            chunk.release();
        }
    }

    /**
     * Completes the object: checks the size, fixes permissions/xattrs/mtime, fsyncs, and renames it
     * into place unless already present. Returns the content checksum.
     */
    Checksum finish() throws IOException {
        if (received != size) {
            throw new ContentSizeMismatchException(store.repo(), "content of " + meta, size, received);
        }
        Checksum checksum = hasher.finish();
        RepoMode mode = store.mode();
        if (encoder != null) {
            compressed.clear();
            encoder.finish(compressed);
            writeFully(compressed);
        }
        if (mode == RepoMode.BARE_USER_ONLY && meta.isSymlink()) {
            Files.createSymbolicLink(temp, Path.of(meta.symlinkTarget()));
        } else {
            if (mode == RepoMode.BARE_USER && meta.isSymlink()) {
                writeFully(Unpooled.wrappedBuffer(meta.bareUserSymlinkContent()));
            }
            int perms = switch (mode) {
                case ARCHIVE -> 0644;
                case BARE_USER -> meta.bareUserStoredPermissions();
                case BARE_USER_ONLY -> meta.permissions();
            };
            AtomicFiles.chmod(temp, perms);
            if (mode == RepoMode.BARE_USER) {
                BareUserXattr.write(store.repo(), temp, meta.bareUserMeta());
            }
            if (mode != RepoMode.ARCHIVE) {
                Files.setLastModifiedTime(temp, FileTime.fromMillis(0));
            }
            store.files().force(channel);
            channel.close();
        }
        Path target = store.path(ObjectType.FILE, checksum);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(temp);
        } else {
            store.files().install(temp, target);
        }
        done = true;
        release();
        return checksum;
    }

    /** Discards the temp file (idempotent). */
    void abort() {
        release();
        if (!done) {
            done = true;
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // best effort: tmp/ is cleaned by ostree's tmp expiry too
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
