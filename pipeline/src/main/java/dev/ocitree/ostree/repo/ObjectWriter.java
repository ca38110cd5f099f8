package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Blocking object writes for a pipeline stage that already runs on the repository's scheduler
 * ({@link OstreeRepository#scheduler()}) or on its write workers ({@link #submit}), inside
 * {@link OstreeRepository#transaction}: one call per object, no reactive hop per object. This is what {@link OstreeRepository#writeFile} uses too.
 * Objects land in the staging area and are published by the next commit or ref update, like every
 * write. Thread-safe; each {@link Upload} is used by one thread at a time. I/O errors surface as
 * {@link RepositoryException}.
 */
public final class ObjectWriter {

    /**
     * Content up to this size is best gathered in memory and stored with {@link #writeFile} in one
     * step; larger content is streamed with {@link #beginFile}.
     */
    public static final int INLINE_LIMIT = 1 << 20;

    private final Path repo;
    private final LooseObjects objects;
    private final int zlibLevel;
    private final Executor workers;

    ObjectWriter(Path repo, LooseObjects objects, int zlibLevel, Executor workers) {
        this.repo = repo;
        this.objects = objects;
        this.zlibLevel = zlibLevel;
        this.workers = workers;
    }

    /**
     * Runs blocking object writes on the repository's write workers (one thread per core, owned by
     * the repository), for a stage that overlaps the writes of many objects. The task must not wait
     * for other tasks.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, workers);
    }

    /**
     * Stores a content object whose content is in memory, as chunks totalling {@code size} bytes
     * (a symlink: none): hashed first, then written once under its final name, or not at all when
     * the object is present. The caller keeps ownership of the chunks.
     *
     * @throws ContentSizeMismatchException when the chunks do not add up to {@code size}
     */
    public Checksum writeFile(FileMeta meta, long size, List<ByteBuf> chunks) {
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
            objects.store(ObjectType.FILE, checksum, file -> {
                StagedContent staged = StagedContent.open(objects, m, size, zlibLevel, file, false);
                try {
                    for (ByteBuf chunk : chunks) {
                        staged.write(chunk);
                    }
                    staged.complete();
                } finally {
                    staged.abort();
                }
            });
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot store content of " + m + ": " + e, e);
        }
        return checksum;
    }

    /** Starts a content object streamed in chunks (for content too large to hold in memory). */
    public Upload beginFile(FileMeta meta, long size) {
        FileMeta m = meta.canonical(objects.mode());
        try {
            return new Upload(m, StagedContent.open(objects, m, size, zlibLevel, objects.staging().tempPath(), true));
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot create a temp file for " + m + ": " + e, e);
        }
    }

    /** Stores a dirmeta (canonicalised for the mode); returns its checksum. */
    public Checksum writeDirmeta(Dirmeta meta) {
        byte[] bytes = meta.canonical(objects.mode()).serialize();
        Checksum checksum = Checksum.sha256(bytes);
        try {
            objects.writeMetadata(ObjectType.DIR_META, checksum, bytes);
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot write " + objects.name(ObjectType.DIR_META, checksum) + ": " + e, e);
        }
        return checksum;
    }

    /** A content object being streamed: {@link #write} chunks, then {@link #finish} or {@link #abort}. */
    public final class Upload {
        private final FileMeta meta;
        private final StagedContent staged;

        private Upload(FileMeta meta, StagedContent staged) {
            this.meta = meta;
            this.staged = staged;
        }

        /** Hashes and stores a chunk; the caller keeps ownership of it. */
        public void write(ByteBuf chunk) {
            try {
                staged.write(chunk);
            } catch (IOException e) {
                throw new RepositoryException(repo, "cannot write content of " + meta + ": " + e, e);
            }
        }

        /**
         * Completes the object and gives it its name (unless present already); returns the checksum.
         *
         * @throws ContentSizeMismatchException when fewer bytes than the declared size were written
         */
        public Checksum finish() {
            Path temp = staged.file();
            try {
                Checksum checksum = staged.complete();
                objects.store(ObjectType.FILE, checksum, file -> Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE));
                return checksum;
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
        public void abort() {
            staged.abort();
        }
    }
}
