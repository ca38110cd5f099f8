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
import java.util.ArrayList;
import java.util.List;

/**
 * The object-writing stage of one layer: consumes the tar events in archive order on the
 * repository's scheduler and makes one blocking {@link ObjectWriter} call per object, then records
 * the entry in the {@link LayerTree}. Regular files up to {@link #INLINE_LIMIT} bytes are gathered
 * in memory (their content slices, no copy) and written once under their final name; larger ones
 * are streamed into a temp file as their slices arrive.
 *
 * <p>Ownership: every {@link TarEvent.Content} accepted here is released here, also when
 * {@link #close()} ends the layer early (error or cancellation). {@link #accept} and
 * {@link #close} are synchronized, so a cancellation from another thread waits for the current
 * event.
 */
final class LayerWriter implements AutoCloseable {

    /** Regular files up to this size are written in one step from memory. */
    static final int INLINE_LIMIT = 1 << 20;

    private final ObjectWriter writer;
    private final RepoMode mode;
    private final LayerTree tree;
    private final SymlinkTargets symlinks;
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
    }

    private void begin(TarEntry e) {
        current = e;
        switch (e.type()) {
            case REGULAR -> {
                if (e.size() <= INLINE_LIMIT) {
                    gathered = new ArrayList<>(e.size() <= 64 * 1024 ? 2 : 17);
                } else {
                    upload = writer.beginFile(regularMeta(e), e.size());
                }
            }
            case SYMLINK -> {
                Checksum checksum = writer.writeFile(FileMeta.symlink((int) e.uid(), (int) e.gid(), e.linkTarget(),
                        xattrs(e)), 0, List.of());
                symlinks.symlink(checksum, e.linkTarget());
                tree.file(e.path(), checksum);
            }
            case DIRECTORY -> {
                Dirmeta meta = Dirmeta.directory((int) e.uid(), (int) e.gid(), e.mode() & 07777, xattrs(e))
                        .canonical(mode);
                tree.directory(e.path(), meta, writer.writeDirmeta(meta));
            }
            case HARDLINK -> tree.hardlink(e.path(), e.linkTarget());
            case CHAR_DEVICE, BLOCK_DEVICE -> tree.skip(e.path(),
                    (e.type() == TarEntryType.CHAR_DEVICE ? "char-device" : "block-device")
                            + "(" + e.devMajor() + "," + e.devMinor() + ")");
            case FIFO -> tree.skip(e.path(), "fifo");
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
        Checksum checksum;
        if (gathered != null) {
            List<ByteBuf> chunks = gathered;
            gathered = null;
            try {
                checksum = writer.writeFile(regularMeta(e), e.size(), chunks);
            } finally {
                chunks.forEach(ByteBuf::release);
            }
        } else if (upload != null) {
            ObjectWriter.Upload u = upload;
            upload = null;
            checksum = u.finish();
        } else {
            return;
        }
        symlinks.regular(checksum);
        tree.file(e.path(), checksum);
    }

    /** Releases what a partial entry holds and ignores later events. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
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
