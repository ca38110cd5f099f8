package dev.ocitree.exports;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarMember;
import dev.ocitree.operators.tar.TarWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An OCI layout directory packed as an {@code oci-archive:} tar (what skopeo writes: the layout's
 * files at the archive root), with {@link TarWriter}: sorted paths, mode 0644/0755, owner 0, the
 * given mtime. Files are read on {@code io} in 64 KiB chunks.
 */
final class LayoutArchive {

    private static final int CHUNK = 64 * 1024;

    private LayoutArchive() {
    }

    static Mono<BlobWriter.Blob> write(Path layout, Path file, long mtime, Scheduler io) {
        Flux<TarMember> members = Mono.fromCallable(() -> paths(layout)).subscribeOn(io)
                .flatMapIterable(l -> l)
                .map(p -> member(layout, p, mtime, io));
        return BlobWriter.toFile(file, members.transform(TarWriter.write()), io);
    }

    private static List<Path> paths(Path layout) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(layout)) {
            walk.filter(p -> !p.equals(layout)).map(layout::relativize).sorted().forEach(out::add);
        }
        return out;
    }

    private static TarMember member(Path layout, Path relative, long mtime, Scheduler io) {
        Path p = layout.resolve(relative);
        String name = relative.toString();
        if (Files.isDirectory(p)) {
            return TarMember.of(new TarEntry(name, TarEntryType.DIRECTORY, 0, 0755, 0, 0, "", "", mtime, null, 0, 0, null, 0));
        }
        long size;
        try {
            size = Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TarMember(new TarEntry(name, TarEntryType.REGULAR, size, 0644, 0, 0, "", "", mtime, null, 0, 0, null, 0),
                read(p, io));
    }

    private static Flux<ByteBuf> read(Path file, Scheduler io) {
        return Flux.using(() -> FileChannel.open(file, StandardOpenOption.READ),
                ch -> Flux.<ByteBuf>generate(sink -> {
                    ByteBuf buf = Unpooled.buffer(CHUNK);
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
                        sink.error(new UncheckedIOException(e));
                    }
                }),
                ch -> {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).subscribeOn(io);
    }
}
