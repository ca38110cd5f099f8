package dev.ocitree.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installed once per test JVM, before any test class loads (a JUnit {@link LauncherSessionListener}
 * found through {@code META-INF/services}): installs BlockHound, so a blocking call on a
 * non-blocking thread (Reactor's parallel scheduler, Netty event loops) throws, and replaces Netty's
 * leak detector so that each leak report is recorded; {@link LeakCheckExtension} turns a recorded
 * report into a test failure.
 *
 * <p>Switches, for proving that the protections work: {@code -Docitree.blockhound=false} skips
 * BlockHound; {@code -Dio.netty.leakDetection.level=disabled} turns leak tracking off. With either,
 * the matching smoke test fails.
 */
public final class TestGuards implements LauncherSessionListener {

    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /** Idempotent; also called by the extension in case a runner skips launcher listeners. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        if (!"false".equals(System.getProperty("ocitree.blockhound"))) {
            BlockHound.install();
        }
    }

    /** Reports recorded since the last call, and forgets them. */
    static synchronized List<String> drainLeaks() {
        List<String> out = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return out;
    }

    private static synchronized void record(String report) {
        LEAKS.add(report);
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    record("LEAK: " + resourceType + " was not released" + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    record("LEAK: " + resourceType + " was not released (untraced)");
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
