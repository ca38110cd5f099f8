package dev.ocitree.exports;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Writes a byte stream into a file while hashing it: into a temp file next to the target, fsynced,
 * then renamed to {@code blobs/sha256/<hex>} (or to a given path). The file work runs on the
 * bounded scheduler {@code io}. Each chunk is released once written; on error or cancel the temp
 * file is removed and pending chunks are released.
 */
final class BlobWriter {

    /** A written blob. */
    record Blob(String digest, long size) {
    }

    private BlobWriter() {
    }

    /** Into {@code blobs/sha256/<hex>} under {@code blobs} ({@code blobs} is the {@code sha256} directory). */
    static Mono<Blob> toBlob(Path sha256Dir, Flux<ByteBuf> data, Scheduler io) {
        return write(sha256Dir, null, data, io);
    }

    /** Into {@code target} (replaced). */
    static Mono<Blob> toFile(Path target, Flux<ByteBuf> data, Scheduler io) {
        return write(target.toAbsolutePath().getParent(), target, data, io);
    }

    static Mono<Blob> toBlob(Path sha256Dir, byte[] data, Scheduler io) {
        return toBlob(sha256Dir, Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(data))), io);
    }

    private static Mono<Blob> write(Path dir, Path target, Flux<ByteBuf> data, Scheduler io) {
        return Mono.usingWhen(Mono.fromCallable(() -> new Sink(dir)).subscribeOn(io),
                        // handle emits nothing: a chunk is released here once written, never seen by then()
                        // (which would hand it to the discard hook: a second release)
                        sink -> data.publishOn(io, 8)
                                .<Void>handle((chunk, next) -> {
                                    try {
                                        sink.write(chunk);
                                    } finally {
                                        chunk.release();
                                    }
                                })
                                .then(Mono.fromCallable(() -> sink.finish(target)).subscribeOn(io)),
                        sink -> Mono.fromRunnable(sink::delete).subscribeOn(io),
                        (sink, e) -> Mono.fromRunnable(sink::delete).subscribeOn(io),
                        sink -> Mono.fromRunnable(sink::delete).subscribeOn(io))
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .onErrorMap(UncheckedIOException.class, e -> new InvalidDestinationException(
                        "cannot write " + (target != null ? target : dir) + ": " + e.getCause(), e.getCause()));
    }

    /** The temp file being written. */
    private static final class Sink {
        private final Path temp;
        private final FileChannel channel;
        private final MessageDigest digest;
        private long size;
        private boolean closed;

        Sink(Path dir) throws IOException {
            Files.createDirectories(dir);
            this.temp = dir.resolve(".ocitree-tmp-" + UUID.randomUUID());
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void write(ByteBuf chunk) {
            try {
                for (ByteBuffer part : chunk.nioBuffers(chunk.readerIndex(), chunk.readableBytes())) {
                    digest.update(part.duplicate());
                    while (part.hasRemaining()) {
                        size += channel.write(part);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Blob finish(Path target) throws IOException {
            channel.force(false);
            channel.close();
            closed = true;
            String hex = HexFormat.of().formatHex(digest.digest());
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Path to = target != null ? target : temp.resolveSibling(hex);
            Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Blob("sha256:" + hex, size);
        }

        void delete() {
            try {
                if (!closed) {
                    channel.close();
                    closed = true;
                }
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
