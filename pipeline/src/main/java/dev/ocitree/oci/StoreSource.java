package dev.ocitree.oci;

import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What every source shares: a lazily opened {@link ContentStore} (a directory, or an archive
 * indexed on first use) read on the I/O scheduler, and blobs found by a per-source member name.
 */
abstract sealed class StoreSource implements OciSource permits LayoutSource, DockerArchiveSource {

    private final String name;
    private final Path path;
    private final boolean archive;
    final Scheduler io;
    private ContentStore store;

    StoreSource(String name, Path path, boolean archive, Scheduler io) {
        this.name = name;
        this.path = path.toAbsolutePath().normalize();
        this.archive = archive;
        this.io = io;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Opens the store once (blocking: runs on the I/O scheduler). */
    final synchronized ContentStore store() {
        if (store == null) {
            if (archive) {
                if (!Files.isRegularFile(path)) {
                    throw new InvalidSourceException("source '" + name + "': " + path + " is not a file");
                }
                store = TarMemberStore.index(path);
            } else {
                if (!Files.isDirectory(path)) {
                    throw new InvalidSourceException("source '" + name + "': " + path + " is not a directory");
                }
                store = new DirectoryStore(path);
            }
        }
        return store;
    }

    /** Reads a required JSON document. */
    final byte[] document(String member) {
        byte[] bytes = store().readAll(member, OciJson.MAX_DOCUMENT_BYTES);
        if (bytes == null) {
            throw new OciFormatException(store().location() + "/" + member, "is missing");
        }
        return bytes;
    }

    /** The store member holding a blob, or {@code null} when this source does not know it. */
    abstract String member(Descriptor descriptor);

    @Override
    public final Flux<ByteBuf> blob(Descriptor descriptor) {
        return Mono.fromCallable(() -> {
                    String member = member(descriptor);
                    FileRegion region = member == null ? null : store().region(member);
                    if (region == null) {
                        throw new ImageNotFoundException("source '" + name + "' does not hold blob " + descriptor.digest()
                                + (descriptor.urls().isEmpty() ? "" : " (a foreign layer at " + descriptor.urls()
                                        + "; fetching foreign layers is not supported)"));
                    }
                    if (region.length() != descriptor.size()) {
                        throw new OciFormatException(region.name(), "is " + region.length()
                                + " bytes, its descriptor says " + descriptor.size());
                    }
                    return region;
                })
                .subscribeOn(io)
                .flatMapMany(region -> region.read(io));
    }

    @Override
    public void close() {
        // the store holds no open file: every read opens and closes its own channel
    }
}
