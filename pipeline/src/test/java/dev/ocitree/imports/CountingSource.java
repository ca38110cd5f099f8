package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.oci.ResolvedImage;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An {@link OciSource} that counts the blob bytes handed out, per digest (independently of the importer's own count). */
final class CountingSource implements OciSource {

    private final OciSource delegate;
    final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    CountingSource(OciSource delegate) {
        this.delegate = delegate;
    }

    long total() {
        return bytes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Mono<ResolvedImage> resolve(Platform platform) {
        return delegate.resolve(platform);
    }

    @Override
    public Flux<ByteBuf> blob(Descriptor descriptor) {
        AtomicLong counter = bytes.computeIfAbsent(descriptor.digest(), d -> new AtomicLong());
        return delegate.blob(descriptor).doOnNext(b -> counter.addAndGet(b.readableBytes()));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
