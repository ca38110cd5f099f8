package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.oci.ResolvedImage;
import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An {@link OciSource} that hands everything to another; tests override {@link #blob} to watch or hold back blobs. */
abstract class ForwardingSource implements OciSource {

    protected final OciSource delegate;

    ForwardingSource(OciSource delegate) {
        this.delegate = delegate;
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
        return delegate.blob(descriptor);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
