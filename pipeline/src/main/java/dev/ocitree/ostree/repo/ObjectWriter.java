package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking writes of single objects into the staging area, the work behind every write stage
 * ({@link ObjectWriteOperator}): hash, then create the object once under its final name. Called
 * only on a thread that may block (the transaction's scheduler). Never waits for another writer:
 * when a concurrent writer is storing the same object, the result carries that writer's completion
 * ({@link Written#pending()}) for the caller to wait on asynchronously. Thread-safe; each
 * {@link Upload} is used by one thread at a time. I/O errors surface as {@link RepositoryException}.
 */
final class ObjectWriter {

    /**
     * Content up to this size is gathered in memory and stored with {@link #writeFile} in one
     * step; larger content is streamed with {@link #beginFile}.
     */
    static final int INLINE_LIMIT = 1 << 20;

    /**
     * A stored object: its checksum, and {@code pending}, null when the object is staged (by this
     * call or earlier), else the completion of the concurrent writer of the same object.
     */
    record Written(Checksum checksum, CompletableFuture<Void> pending) {
    }

    private final Path repo;
    private final LooseObjects objects;
    private final int zlibLevel;

    ObjectWriter(Path repo, LooseObjects objects, int zlibLevel) {
        this.repo = repo;
        this.objects = objects;
        this.zlibLevel = zlibLevel;
    }

    /**
     * Stores a content object whose content is in memory, as chunks totalling {@code size} bytes
     * (a symlink: none): hashed first, then written once under its final name, or not at all when
     * the object is present. The caller keeps ownership of the chunks.
     *
     * @throws ContentSizeMismatchException when the chunks do not add up to {@code size}
     */
    Written writeFile(FileMeta meta, long size, List<ByteBuf> chunks) {
        FileMeta m = meta.canonical(objects.mode());
        if (m.isSymlink() && size != 0) {
            throw new ContentSizeMismatchException(repo, "symlink " + m, 0, size);
        }
        long received = 0;
        for (ByteBuf chunk : chunks) {
            received += chunk.readableBytes();
        }
        if (received != size) {
            throw new ContentSizeMismatchException(repo, "content of " + m, size, received);
        }
        FileObjectHasher hasher = new FileObjectHasher(m, size);
        for (ByteBuf chunk : chunks) {
            hasher.update(chunk);
        }
        Checksum checksum = hasher.finish();
        try {
            return new Written(checksum, objects.store(ObjectType.FILE, checksum,
                    m.isSymlink() && objects.mode() == RepoMode.BARE_USER_ONLY, file -> {
                StagedContent staged = StagedContent.open(objects, m, size, zlibLevel, file, false);
                try {
                    for (ByteBuf chunk : chunks) {
                        staged.write(chunk);
                    }
                    staged.complete();
                } finally {
                    staged.abort();
                }
            }));
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot store content of " + m + ": " + e, e);
        }
    }

    /** Starts a content object streamed in chunks (for content too large to hold in memory). */
    Upload beginFile(FileMeta meta, long size) {
        FileMeta m = meta.canonical(objects.mode());
        try {
            return new Upload(m, StagedContent.open(objects, m, size, zlibLevel, objects.staging().tempPath(), true));
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot create a temp file for " + m + ": " + e, e);
        }
    }

    /** Stores a dirmeta (canonicalised for the mode). */
    Written writeDirmeta(Dirmeta meta) {
        byte[] bytes = meta.canonical(objects.mode()).serialize();
        return writeMetadata(ObjectType.DIR_META, Checksum.sha256(bytes), bytes);
    }

    /** Stores a metadata object given its checksum and normal-form bytes. */
    Written writeMetadata(ObjectType type, Checksum checksum, byte[] bytes) {
        try {
            return new Written(checksum, objects.writeMetadata(type, checksum, bytes));
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot write " + objects.name(type, checksum) + ": " + e, e);
        }
    }

    /** A content object being streamed: {@link #write} chunks, then {@link #finish} or {@link #abort}. */
    final class Upload {
        private final FileMeta meta;
        private final StagedContent staged;

        private Upload(FileMeta meta, StagedContent staged) {
            this.meta = meta;
            this.staged = staged;
        }

        /** Hashes and stores a chunk; the caller keeps ownership of it. */
        void write(ByteBuf chunk) {
            try {
                staged.write(chunk);
            } catch (IOException e) {
                throw new RepositoryException(repo, "cannot write content of " + meta + ": " + e, e);
            }
        }

        /**
         * Completes the object and gives it its name (unless present already).
         *
         * @throws ContentSizeMismatchException when fewer bytes than the declared size were written
         */
        Written finish() {
            Path temp = staged.file();
            try {
                Checksum checksum = staged.complete();
                return new Written(checksum, objects.store(ObjectType.FILE, checksum, false,
                        file -> Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE)));
            } catch (IOException e) {
                throw new RepositoryException(repo, "cannot store content of " + meta + ": " + e, e);
            } finally {
                staged.abort();
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // left in the staging area, which is removed as a whole
                }
            }
        }

        /** Discards the partial object (idempotent; harmless after {@link #finish}). */
        void abort() {
            staged.abort();
        }
    }
}
