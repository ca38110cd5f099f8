package dev.ocitree.ostree.repo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A plain file as a {@code Flux<ByteBuf>} of 64 KiB chunks, read on {@code io} (requests are moved
 * there too, so a subscriber on a non-blocking thread never reads). The subscriber owns each chunk.
 */
public final class FileChunks {

    private static final int CHUNK = 64 * 1024;

    private FileChunks() {
    }

    /** The chunks of {@code file}, read on {@code io}; the subscriber owns (releases) each. */
    public static Flux<ByteBuf> read(Path file, Scheduler io) {
        return Flux.<ByteBuf, FileChannel>generate(() -> FileChannel.open(file, StandardOpenOption.READ), (ch, sink) -> {
            ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(CHUNK);
            try {
                int n = buf.writeBytes(ch, CHUNK);
                if (n < 0) {
                    buf.release();
                    sink.complete();
                } else {
                    sink.next(buf);
                }
            } catch (IOException e) {
                buf.release();
                sink.error(new UncheckedIOException("reading " + file, e));
            }
            return ch;
        }, ch -> {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }).subscribeOn(io, true);
    }
}
