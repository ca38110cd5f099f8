package dev.ocitree.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of an ocitree import: thread samples (Java execution samples plus native
 * samples that are not idle waits, so a thread blocked in fsync counts) attributed to a pipeline stage by the innermost recognisable
 * frame, the hottest methods by self samples, and the total GC pause.
 */
final class Profiler {
    /** Innermost-frame class prefixes, first match wins, and the stage they mean. */
    private static final String[][] STAGES = {
        {"java.util.zip.Inflater", "gzip inflate (zlib)"},
        {"com.github.luben.zstd", "zstd decompress (zstd-jni)"},
        {"java.util.zip.Deflater", "deflate (archive .filez)"},
        {"java.util.zip.CRC32", "gzip CRC32"},
        {"sun.security.provider", "SHA-256"},
        {"java.security.MessageDigest", "SHA-256"},
        {"sun.nio.ch.FileDispatcherImpl.force", "fsync"},
        {"sun.nio.ch.FileChannelImpl.force", "fsync"},
        {"sun.nio.ch", "file I/O syscalls"},
        {"sun.nio.fs", "file system calls (open, rename, mkdir, xattr)"},
        {"java.io.", "file I/O syscalls"},
        {"dev.ocitree.operators.tar", "tar parsing"},
        {"dev.ocitree.operators.compress", "decompression stage (Java side)"},
        {"dev.ocitree.operators.digest", "digest stage (Java side)"},
        {"dev.ocitree.ostree.gvariant", "GVariant encoding"},
        {"dev.ocitree.ostree.repo", "repository writes (Java side)"},
        {"dev.ocitree.ostree", "OSTree objects (hashing, trees)"},
        {"dev.ocitree.imports", "import pipeline and merge"},
        {"dev.ocitree.oci", "OCI layout reading"},
        {"dev.ocitree", "ocitree (other)"},
        {"io.netty", "Netty buffers"},
        {"reactor.", "Reactor plumbing"},
        {"com.fasterxml.jackson", "JSON"},
        {"picocli", "CLI startup"},
    };
    private static final String[] IDLE = {"jdk.internal.misc.Unsafe.park", "java.lang.Object.wait", "java.lang.Thread.sleep",
        "sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.poll", "java.lang.Thread.yield", "sun.nio.ch.SocketDispatcher.read",
        "java.lang.ProcessHandleImpl.waitForProcessExit", "java.lang.Thread.onSpinWait"};

    /** The summary: stage shares, hot methods, GC. */
    record Summary(long samples, long javaSamples, Map<String, Long> stages, Map<String, Long> hotMethods,
                   double gcPauseSeconds, double compileSeconds) {
        String text() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "thread samples: %d (%d Java execution samples, %d samples in native"
                    + " methods other than idle waits: zlib, fsync, open... where blocking syscalls count as time spent"
                    + " waiting in them); GC pauses %.2f s; JIT compilation %.2f s (compiler threads, not sampled)%n",
                    samples, javaSamples, samples - javaSamples, gcPauseSeconds, compileSeconds));
            sb.append("by stage (innermost recognisable frame):\n");
            stages.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / samples, k)));
            sb.append("hottest methods (self):\n");
            hotMethods.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / samples, k)));
            return sb.toString();
        }

        Map<String, Object> json() {
            Map<String, Object> st = new LinkedHashMap<>();
            stages.forEach((k, v) -> st.put(k, Math.round(1000.0 * v / samples) / 10.0));
            Map<String, Object> hm = new LinkedHashMap<>();
            hotMethods.forEach((k, v) -> hm.put(k, Math.round(1000.0 * v / samples) / 10.0));
            return Json.obj("threadSamples", samples, "javaExecutionSamples", javaSamples,
                    "gcPauseSeconds", gcPauseSeconds, "jitCompileSeconds", compileSeconds, "stagePercent", st,
                    "hotMethodPercent", hm);
        }
    }

    private Profiler() {
    }

    static Summary summarise(Path jfr) {
        Map<String, Long> stages = new HashMap<>();
        Map<String, Long> methods = new HashMap<>();
        long samples = 0;
        long javaSamples = 0;
        Duration gc = Duration.ZERO;
        Duration compile = Duration.ZERO;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gc = gc.plus(e.getDuration("sumOfPauses"));
                    continue;
                }
                if (type.equals("jdk.Compilation")) {
                    compile = compile.plus(e.getDuration());
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame fr : st.getFrames()) {
                    frames.add(fr.getMethod().getType().getName() + "." + fr.getMethod().getName());
                }
                String top = frames.get(0);
                if (type.equals("jdk.NativeMethodSample") && isIdle(top)) {
                    continue;
                }
                samples++;
                if (type.equals("jdk.ExecutionSample")) {
                    javaSamples++;
                }
                methods.merge(top, 1L, Long::sum);
                stages.merge(stage(frames), 1L, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading JFR recording " + jfr, e);
        }
        return new Summary(samples, javaSamples, top(stages, 20), top(methods, 15), gc.toNanos() / 1e9,
                compile.toNanos() / 1e9);
    }

    private static boolean isIdle(String top) {
        for (String i : IDLE) {
            if (top.startsWith(i)) {
                return true;
            }
        }
        return false;
    }

    private static String stage(List<String> frames) {
        for (String f : frames) {
            for (String[] s : STAGES) {
                if (f.startsWith(s[0])) {
                    return s[1];
                }
            }
        }
        String top = frames.get(0);
        return "other: " + top.substring(0, Math.max(0, top.lastIndexOf('.')));
    }

    private static Map<String, Long> top(Map<String, Long> m, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
