package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.ArchiveFileDecoder;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.OstreeFormatException;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.gvariant.GVariantException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * Reads content objects in each mode: their metadata (from the {@code .filez} header, the
 * {@code user.ostreemeta} xattr, or {@code lstat} in bare-user-only) and their content, re-hashed
 * while it streams so that a corrupt object ends its stream with {@link CorruptObjectException}.
 */
final class ContentObjects {

    private static final int CHUNK = 64 * 1024;

    private final LooseObjects store;

    ContentObjects(LooseObjects store) {
        this.store = store;
    }

    /** A stored content object: its metadata, content size, file and where the payload starts. */
    record Stored(Checksum checksum, FileMeta meta, long size, Path path, long payloadOffset) {
    }

    /** Loads a content object's metadata. Blocking. */
    Stored stat(Checksum checksum) throws IOException {
        try {
            return stat(checksum, store.locate(ObjectType.FILE, checksum));
        } catch (NoSuchFileException e) {
            // published from the staging area meanwhile
            try {
                return stat(checksum, store.path(ObjectType.FILE, checksum));
            } catch (NoSuchFileException again) {
                throw new ObjectNotFoundException(store.repo(), store.name(ObjectType.FILE, checksum));
            }
        }
    }

    private Stored stat(Checksum checksum, Path path) throws IOException {
        String name = store.name(ObjectType.FILE, checksum);
        PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        try {
            switch (store.mode()) {
                case ARCHIVE:
                    return archiveStat(checksum, name, path, attrs.size());
                case BARE_USER: {
                    if (!attrs.isRegularFile()) {
                        throw new CorruptObjectException(store.repo(), name, "a bare-user object must be a regular file");
                    }
                    byte[] ostreemeta = BareUserXattr.read(path);
                    if (ostreemeta == null) {
                        throw new CorruptObjectException(store.repo(), name, "no user.ostreemeta xattr");
                    }
                    // the target is only known from the content; parse with a placeholder first to learn the type
                    FileMeta probe = FileMeta.fromBareUserMeta(ostreemeta, "?");
                    if (probe.isSymlink()) {
                        byte[] content = Files.readAllBytes(path);
                        if (content.length == 0 || content[content.length - 1] != 0) {
                            throw new CorruptObjectException(store.repo(), name, "symlink target is not NUL-terminated");
                        }
                        String target = new String(content, 0, content.length - 1, StandardCharsets.UTF_8);
                        return new Stored(checksum, FileMeta.fromBareUserMeta(ostreemeta, target), 0, path, 0);
                    }
                    return new Stored(checksum, probe, attrs.size(), path, 0);
                }
                case BARE_USER_ONLY:
                default: {
                    if (attrs.isSymbolicLink()) {
                        String target = Files.readSymbolicLink(path).toString();
                        return new Stored(checksum, FileMeta.symlink(0, 0, target, Xattrs.empty()), 0, path, 0);
                    }
                    if (!attrs.isRegularFile()) {
                        throw new CorruptObjectException(store.repo(), name, "neither a regular file nor a symlink");
                    }
                    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    return new Stored(checksum, FileMeta.regular(0, 0, mode & 07777, Xattrs.empty()), attrs.size(),
                            path, 0);
                }
            }
        } catch (RepositoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptObjectException(store.repo(), name, e.getMessage(), e);
        }
    }

    /** Parses the header of a {@code .filez}: the 8-byte length prefix, then the variant. */
    private Stored archiveStat(Checksum checksum, String name, Path path, long fileSize) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                ArchiveFileDecoder decoder = new ArchiveFileDecoder(name)) {
            ByteBuffer prefix = ByteBuffer.allocate(8);
            readFully(ch, prefix, name);
            long length = prefix.getInt(0) & 0xFFFFFFFFL;
            if (length == 0 || length > Math.min(ArchiveFileDecoder.MAX_HEADER_SIZE, fileSize - 8)) {
                throw new CorruptObjectException(store.repo(), name, "invalid header length " + length);
            }
            ByteBuffer header = ByteBuffer.allocate((int) length);
            readFully(ch, header, name);
            ByteBuf out = Unpooled.buffer(0);
            try {
                decoder.update(Unpooled.wrappedBuffer(prefix.array()), out);
                decoder.update(Unpooled.wrappedBuffer(header.array()), out);
            } finally {
                out.release();
            }
            return new Stored(checksum, decoder.meta(), decoder.size(), path, 8 + length);
        }
    }

    private void readFully(FileChannel ch, ByteBuffer buf, String name) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new CorruptObjectException(store.repo(), name, "truncated header");
            }
        }
    }

    /**
     * The content of a stored object as chunks, read on {@code io} (requests too), re-hashed on the
     * way; the stream fails with {@link CorruptObjectException} at its end when the bytes do not hash
     * to the object's name. The subscriber owns and releases every emitted chunk.
     */
    Flux<ByteBuf> content(Stored stored, Scheduler io) {
        if (stored.meta().isSymlink()) {
            return Flux.defer(() -> {
                verify(stored, new FileObjectHasher(stored.meta(), 0), 0);
                return Flux.<ByteBuf>empty();
            }).subscribeOn(io);
        }
        return Flux.<ByteBuf, Reader>generate(() -> new Reader(stored), Reader::next, Reader::close)
                .subscribeOn(io, true);
    }

    /**
     * Reads the whole content, checking its checksum, and writes it to {@code out} when not null
     * (fsck passes null). Blocking.
     */
    void copyTo(Stored stored, FileChannel out) throws IOException {
        if (stored.meta().isSymlink()) {
            verify(stored, new FileObjectHasher(stored.meta(), 0), 0);
            return;
        }
        Reader reader = new Reader(stored);
        ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(CHUNK);
        try {
            while (true) {
                buf.clear();
                if (reader.read(buf) < 0) {
                    return;
                }
                if (out != null) {
                    while (buf.isReadable()) {
                        buf.readBytes(out, buf.readableBytes());
                    }
                }
            }
        } finally {
            buf.release();
            reader.close();
        }
    }

    private void verify(Stored stored, FileObjectHasher hasher, long count) {
        if (count != stored.size()) {
            throw new CorruptObjectException(store.repo(), store.name(ObjectType.FILE, stored.checksum()),
                    "content is " + count + " bytes, header says " + stored.size());
        }
        Checksum actual = hasher.finish();
        if (!actual.equals(stored.checksum())) {
            throw new CorruptObjectException(store.repo(), store.name(ObjectType.FILE, stored.checksum()),
                    "its content hashes to " + actual.hex());
        }
    }

    /**
     * Pull-based reader state for {@link Flux#generate} and {@link #copyTo}: one file channel and,
     * for archive, a decoder that inflates the {@code .filez} (read in small slices so that one
     * emitted chunk stays bounded).
     */
    private final class Reader {
        private static final int RAW = 8 * 1024;

        private final Stored stored;
        private final String name;
        private final FileObjectHasher hasher;
        private final FileChannel channel;
        private final ArchiveFileDecoder decoder;
        private final ByteBuf raw;
        private long count;

        Reader(Stored stored) throws IOException {
            this.stored = stored;
            this.name = store.name(ObjectType.FILE, stored.checksum());
            this.hasher = new FileObjectHasher(stored.meta(), stored.size());
            this.channel = open(stored);
            if (store.mode() == RepoMode.ARCHIVE) {
                decoder = new ArchiveFileDecoder(name);
                raw = Unpooled.buffer(RAW);
            } else {
                decoder = null;
                raw = null;
            }
        }

        private FileChannel open(Stored stored) throws IOException {
            try {
                return FileChannel.open(stored.path(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                // a staged object published since stat()
                return FileChannel.open(store.path(ObjectType.FILE, stored.checksum()), StandardOpenOption.READ);
            }
        }

        Reader next(SynchronousSink<ByteBuf> sink) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(CHUNK);
            try {
                if (read(buf) < 0) {
                    buf.release();
                    sink.complete();
                } else {
                    sink.next(buf);
                }
            } catch (RuntimeException e) {
                buf.release();
                sink.error(e);
            }
            return this;
        }

        /**
         * Reads the next chunk of content into {@code buf} (at least one byte unless at the end);
         * -1 at the end, after checking size and checksum. Fails with {@link CorruptObjectException}.
         */
        int read(ByteBuf buf) {
            try {
                int n = decoder == null ? buf.writeBytes(channel, buf.writableBytes()) : inflate(buf);
                if (n < 0) {
                    verify(stored, hasher, count);
                    return -1;
                }
                count += n;
                if (count > stored.size()) {
                    throw new CorruptObjectException(store.repo(), name,
                            "content is longer than the " + stored.size() + " bytes its header says");
                }
                hasher.update(buf);
                return n;
            } catch (IOException | OstreeFormatException | GVariantException e) {
                throw new CorruptObjectException(store.repo(), name, e.getMessage(), e);
            }
        }

        private int inflate(ByteBuf buf) throws IOException {
            while (true) {
                raw.clear();
                int r = raw.writeBytes(channel, RAW);
                if (r < 0) {
                    decoder.finish();
                    return -1;
                }
                decoder.update(raw, buf);
                if (buf.isReadable()) {
                    return buf.readableBytes();
                }
            }
        }

        void close() {
            if (decoder != null) {
                decoder.close();
                raw.release();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
