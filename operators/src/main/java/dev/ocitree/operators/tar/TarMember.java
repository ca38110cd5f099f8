package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * One entry to write with {@link TarWriter}: its header and its content.
 *
 * <p>{@code entry.path()} is written as given (a directory gets a trailing {@code '/'}; the archive
 * root is {@code "."} and written {@code "./"}); {@code headerOffset}, {@code userName},
 * {@code groupName} and device numbers are not written (names are empty, devices are refused).
 *
 * @param entry   the header: path, type (regular, directory, symlink or hardlink), size, mode, uid,
 *                gid, mtime, link target, xattrs
 * @param content exactly {@code entry.size()} bytes for a regular file, empty otherwise; subscribed
 *                once, when the entry is written; its chunks pass to {@link TarWriter}'s subscriber
 */
public record TarMember(TarEntry entry, Flux<ByteBuf> content) {

    public TarMember {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(content, "content");
    }

    /** An entry without content (directory, symlink, hardlink, empty file). */
    public static TarMember of(TarEntry entry) {
        return new TarMember(entry, Flux.empty());
    }
}
