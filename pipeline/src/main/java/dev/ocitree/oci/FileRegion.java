package dev.ocitree.oci;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A byte range of a file (a whole blob file, or one member of an archive), read as a
 * {@code Flux<ByteBuf>} of {@link #CHUNK}-byte heap buffers with positional reads on a bounded I/O
 * scheduler, one chunk per request.
 *
 * <p>Ownership: the subscriber owns (must release) every emitted buffer; a buffer read after
 * cancellation is released through the discard hook; the channel is closed on completion, error and
 * cancellation.
 */
record FileRegion(Path file, long offset, long length, String name) {

    static final int CHUNK = 64 * 1024;

    Flux<ByteBuf> read(Scheduler io) {
        return Flux.using(() -> FileChannel.open(file, StandardOpenOption.READ),
                        channel -> Flux.<ByteBuf, Long>generate(() -> 0L, (done, sink) -> {
                            if (done >= length) {
                                sink.complete();
                                return done;
                            }
                            int n = (int) Math.min(CHUNK, length - done);
                            ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(n, n);
                            try {
                                while (buf.isWritable()) {
                                    int r = buf.writeBytes(channel, offset + done + buf.writerIndex(), buf.writableBytes());
                                    if (r < 0) {
                                        throw new OciFormatException(name, "truncated: ends after "
                                                + (done + buf.writerIndex()) + " of " + length + " bytes");
                                    }
                                }
                            } catch (IOException | RuntimeException e) {
                                buf.release();
                                sink.error(e instanceof IOException
                                        ? new OciFormatException(name, "read failed: " + e.getMessage(), e) : e);
                                return done;
                            }
                            sink.next(buf);
                            return done + n;
                        }),
                        FileRegion::closeQuietly)
                .subscribeOn(io)
                .doOnDiscard(ByteBuf.class, ByteBuf::release);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing was lost
        }
    }
}
