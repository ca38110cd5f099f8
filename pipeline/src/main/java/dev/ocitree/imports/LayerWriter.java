package dev.ocitree.imports;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.repo.ObjectWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The object-writing stage of one layer. It consumes the tar events in archive order on the
 * repository's scheduler; each entry's object (hashing, deflate in archive mode, the file itself)
 * is written by the repository's write workers, up to {@link #WRITES_IN_FLIGHT} at once, and the
 * entries are recorded in the {@link LayerTree} in archive order as their writes complete. Regular
 * files up to {@link ObjectWriter#INLINE_LIMIT} bytes are gathered in memory (their content
 * slices, no copy) and written in one step under their final name; larger ones are streamed into a
 * temp file by this stage as their slices arrive.
 *
 * <p>Memory: at most {@link #WRITES_IN_FLIGHT} gathered files (each at most
 * {@link ObjectWriter#INLINE_LIMIT} bytes) wait for a worker; a full set blocks this stage, and so
 * the parser upstream.
 *
 * <p>Ownership: every {@link TarEvent.Content} accepted here is released here or by the write task
 * it was handed to, also when {@link #close()} ends the layer early (error or cancellation).
 * {@link #accept}, {@link #finish} and {@link #close} are synchronized.
 */
final class LayerWriter implements AutoCloseable {

    /** Object writes of one layer running or queued on the write workers at once. */
    static final int WRITES_IN_FLIGHT = 8;

    /** A change to the layer tree, made once its object's write is done. */
    private record Change<T>(CompletableFuture<T> write, Consumer<T> apply) {
        void applyNow() {
            apply.accept(write.join());
        }
    }

    private final ObjectWriter writer;
    private final RepoMode mode;
    private final LayerTree tree;
    private final SymlinkTargets symlinks;
    private final Semaphore slots = new Semaphore(WRITES_IN_FLIGHT);
    private final ArrayDeque<Change<?>> changes = new ArrayDeque<>();
    private TarEntry current;
    private List<ByteBuf> gathered;
    private ObjectWriter.Upload upload;
    private boolean closed;

    LayerWriter(ObjectWriter writer, RepoMode mode, LayerTree tree, SymlinkTargets symlinks) {
        this.writer = writer;
        this.mode = mode;
        this.tree = tree;
        this.symlinks = symlinks;
    }

    /** Handles one event. Blocking: call on the repository's scheduler. */
    synchronized void accept(TarEvent event) {
        if (closed) {
            if (event instanceof TarEvent.Content c) {
                c.release();
            }
            return;
        }
        if (event instanceof TarEvent.Content c) {
            content(c);
        } else if (event instanceof TarEvent.Entry e) {
            begin(e.entry());
        } else {
            end();
        }
        applyCompleted();
    }

    /** Waits for every write and records the remaining entries. Blocking: call on the repository's scheduler. */
    synchronized void finish() {
        try {
            while (!changes.isEmpty()) {
                changes.poll().applyNow();
            }
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    private void begin(TarEntry e) {
        current = e;
        switch (e.type()) {
            case REGULAR -> {
                if (e.size() <= ObjectWriter.INLINE_LIMIT) {
                    gathered = new ArrayList<>(e.size() <= 64 * 1024 ? 2 : 17);
                } else {
                    upload = writer.beginFile(regularMeta(e), e.size());
                }
            }
            case SYMLINK -> {
                FileMeta meta = FileMeta.symlink((int) e.uid(), (int) e.gid(), e.linkTarget(), xattrs(e));
                write(() -> writer.writeFile(meta, 0, List.of()), checksum -> {
                    symlinks.symlink(checksum, e.linkTarget());
                    tree.file(e.path(), checksum);
                });
            }
            case DIRECTORY -> {
                Dirmeta meta = Dirmeta.directory((int) e.uid(), (int) e.gid(), e.mode() & 07777, xattrs(e))
                        .canonical(mode);
                write(() -> writer.writeDirmeta(meta), checksum -> tree.directory(e.path(), meta, checksum));
            }
            case HARDLINK -> record(() -> tree.hardlink(e.path(), e.linkTarget()));
            case CHAR_DEVICE, BLOCK_DEVICE -> record(() -> tree.skip(e.path(),
                    (e.type() == TarEntryType.CHAR_DEVICE ? "char-device" : "block-device")
                            + "(" + e.devMajor() + "," + e.devMinor() + ")"));
            case FIFO -> record(() -> tree.skip(e.path(), "fifo"));
        }
    }

    private void content(TarEvent.Content c) {
        if (gathered != null) {
            gathered.add(c.data());
        } else if (upload != null) {
            try {
                upload.write(c.data());
            } finally {
                c.release();
            }
        } else {
            c.release();
        }
    }

    private void end() {
        TarEntry e = current;
        current = null;
        Consumer<Checksum> regular = checksum -> {
            symlinks.regular(checksum);
            tree.file(e.path(), checksum);
        };
        if (gathered != null) {
            List<ByteBuf> chunks = gathered;
            gathered = null;
            FileMeta meta = regularMeta(e);
            write(() -> {
                try {
                    return writer.writeFile(meta, e.size(), chunks);
                } finally {
                    chunks.forEach(ByteBuf::release);
                }
            }, regular, chunks);
        } else if (upload != null) {
            ObjectWriter.Upload u = upload;
            upload = null;
            changes.add(new Change<>(CompletableFuture.completedFuture(u.finish()), regular));
        }
    }

    private <T> void write(Supplier<T> task, Consumer<T> apply) {
        write(task, apply, List.of());
    }

    /** Hands a write to the workers once a slot is free; {@code owned} is released if it cannot be handed over. */
    private <T> void write(Supplier<T> task, Consumer<T> apply, List<ByteBuf> owned) {
        CompletableFuture<T> f;
        try {
            slots.acquire();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            owned.forEach(ByteBuf::release);
            throw new IllegalStateException("interrupted while waiting for a write slot", ex);
        }
        try {
            f = writer.submit(task);
        } catch (RuntimeException ex) {
            slots.release();
            owned.forEach(ByteBuf::release);
            throw ex;
        }
        f.whenComplete((r, ex) -> slots.release());
        changes.add(new Change<>(f, apply));
    }

    private void record(Runnable change) {
        changes.add(new Change<Void>(CompletableFuture.completedFuture(null), v -> change.run()));
    }

    /** Records the entries at the head whose writes are done, in archive order; rethrows a failed write. */
    private void applyCompleted() {
        try {
            while (!changes.isEmpty() && changes.peek().write().isDone()) {
                changes.poll().applyNow();
            }
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : e;
    }

    /** Releases what a partial entry holds and ignores later events; queued writes release their own chunks. */
    @Override
    public synchronized void close() {
        closed = true;
        changes.clear();
        if (gathered != null) {
            gathered.forEach(ByteBuf::release);
            gathered = null;
        }
        if (upload != null) {
            upload.abort();
            upload = null;
        }
    }

    private static FileMeta regularMeta(TarEntry e) {
        return FileMeta.regular((int) e.uid(), (int) e.gid(), e.mode() & 07777, xattrs(e));
    }

    private static Xattrs xattrs(TarEntry e) {
        return e.xattrs().isEmpty() ? Xattrs.empty() : Xattrs.of(e.xattrs());
    }
}
