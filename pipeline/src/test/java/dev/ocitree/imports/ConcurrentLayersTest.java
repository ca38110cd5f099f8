package dev.ocitree.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Layers are read at the same time: every blob stream is held back until as many are open as the
 * concurrency allows (a sequential importer would open them one by one; a fallback delay keeps
 * such an importer from hanging, and the count then shows it).
 */
class ConcurrentLayersTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(8, 1000, "concurrency-test-io");

    @TempDir
    Path tmp;

    @AfterAll
    static void disposeScheduler() {
        IO.dispose();
    }

    /** Counts open blob streams; releases them all once {@code expected} are open. */
    private static final class GatedSource extends ForwardingSource {
        final int expected;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final Sinks.Empty<Void> gate = Sinks.empty();

        GatedSource(OciSource delegate, int expected) {
            super(delegate);
            this.expected = expected;
        }

        @Override
        public Flux<ByteBuf> blob(Descriptor descriptor) {
            return Flux.defer(() -> {
                int now = open.incrementAndGet();
                maxOpen.accumulateAndGet(now, Math::max);
                if (now >= expected) {
                    gate.tryEmitEmpty();
                }
                Mono<Object> released = Mono.firstWithSignal(gate.asMono().then(Mono.just(new Object())),
                        Mono.delay(Duration.ofSeconds(5)).map(x -> (Object) x));
                return delegate.blob(descriptor).delaySubscription(released);
            }).doFinally(s -> open.decrementAndGet());
        }
    }

    @Test
    void layersAreReadConcurrentlyUpToTheConfiguredConcurrency() {
        ImageBuilder image = new ImageBuilder();
        for (int i = 0; i < 4; i++) {
            image.layer(new LayerBuilder().file("layer-" + i, ("content of layer " + i + "\n").repeat(2000)),
                    i % 2 == 0 ? LayerCompression.GZIP : LayerCompression.ZSTD);
        }
        Path layout = image.writeLayout(tmp.resolve("img"), "latest");
        try (OstreeRepository repo = OstreeRepository.init(tmp.resolve("repo"), RepoMode.BARE_USER);
                GatedSource source = new GatedSource(OciSource.open("oci:" + layout + ":latest", IO), 3)) {
            ImportResult result = new ImageImporter(repo)
                    .importImage(source, ImportOptions.defaults().concurrency(3))
                    .ofType(ImportEvent.Done.class).blockLast().result();
            assertThat(source.maxOpen.get()).isEqualTo(3);
            assertThat(result.layers()).hasSize(4).noneMatch(LayerResult::reused);
            assertThat(repo.list(result.commit(), "/", false).map(e -> e.path()).collectList().block())
                    .containsExactly("/", "/layer-0", "/layer-1", "/layer-2", "/layer-3");
        }
    }
}
