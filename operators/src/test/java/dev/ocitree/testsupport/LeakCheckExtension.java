package dev.ocitree.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applied to every test (auto-detected, see {@code junit-platform.properties}): after each test it
 * runs the garbage collector, makes Netty poll its leak queues, and fails the test if any
 * {@code ByteBuf} was collected without being released.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestGuards.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) detected after "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /**
     * Forces collection of unreachable buffers and returns the leak reports that follow. Netty
     * reports a leak when a later buffer is tracked, so this allocates a few after the GC.
     */
    public static List<String> collectLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(1));
            release(UnpooledByteBufAllocator.DEFAULT.directBuffer(1));
            release(PooledByteBufAllocator.DEFAULT.heapBuffer(1));
            release(PooledByteBufAllocator.DEFAULT.directBuffer(1));
        }
        return TestGuards.drainLeaks();
    }

    private static void release(ByteBuf buf) {
        buf.release();
    }
}
