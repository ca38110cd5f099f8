package dev.ocitree.exports;

import dev.ocitree.ostree.repo.FileChunks;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarMember;
import dev.ocitree.operators.tar.TarWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                FileChunks.read(p, io));
    }
}
