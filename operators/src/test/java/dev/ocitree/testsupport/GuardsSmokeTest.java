package dev.ocitree.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Proves the two protections every test relies on are switched on. Each test here fails when its
 * protection is off ({@code -Docitree.blockhound=false}, {@code -Dio.netty.leakDetection.level=disabled}).
 */
class GuardsSmokeTest {

    @Test
    void blockingCallOnParallelSchedulerFails() {
        Mono<String> sleeper = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(sleeper)
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(BlockingOperationError.class)
                        .hasMessageContaining("Thread.sleep"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void blockingCallOnBoundedElasticIsAllowed() {
        Mono<String> sleeper = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.boundedElastic());

        StepVerifier.create(sleeper).expectNext("slept").verifyComplete();
    }

    @Test
    void unreleasedBufferIsReportedAsLeak() {
        leakOne();
        List<String> leaks = LeakCheckExtension.collectLeaks();
        assertThat(leaks).as("leak reports after dropping an unreleased ByteBuf").isNotEmpty();
        assertThat(leaks.get(0)).contains("LEAK");
    }

    private static void leakOne() {
        ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        // dropped on purpose without release()
    }
}
