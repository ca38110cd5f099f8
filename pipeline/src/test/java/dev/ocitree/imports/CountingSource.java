package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/** An {@link OciSource} that counts the blob bytes handed out, per digest (independently of the importer's own count). */
final class CountingSource extends ForwardingSource {

    final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    CountingSource(OciSource delegate) {
        super(delegate);
    }

    long total() {
        return bytes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public Flux<ByteBuf> blob(Descriptor descriptor) {
        AtomicLong counter = bytes.computeIfAbsent(descriptor.digest(), d -> new AtomicLong());
        return delegate.blob(descriptor).doOnNext(b -> counter.addAndGet(b.readableBytes()));
    }
}
