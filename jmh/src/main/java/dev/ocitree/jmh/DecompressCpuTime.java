package dev.ocitree.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link DecompressBenchmark} operations measured in thread CPU time instead of wall time, which
 * a busy shared machine disturbs far less: each format's stage and blocking path alternate, 3 warm-up
 * rounds, then the mean of {@code rounds} rounds.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.ocitree.jmh.DecompressCpuTime [rounds]</pre>
 */
public final class DecompressCpuTime {

    private DecompressCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double mib = DecompressBenchmark.SIZE / (1024.0 * 1024.0);
        System.out.println("format  stage ms/op  blocking ms/op  stage MiB/s  blocking MiB/s   (thread CPU time)");
        for (String format : new String[] {"gzip", "zstd", "lz4"}) {
            DecompressBenchmark benchmark = new DecompressBenchmark();
            benchmark.format = format;
            benchmark.setUp();
            long stage = 0;
            long blocking = 0;
            for (int round = -3; round < rounds; round++) {
                long t0 = threads.getCurrentThreadCpuTime();
                benchmark.stage();
                long t1 = threads.getCurrentThreadCpuTime();
                benchmark.blockingStream();
                long t2 = threads.getCurrentThreadCpuTime();
                if (round >= 0) {
                    stage += t1 - t0;
                    blocking += t2 - t1;
                }
            }
            benchmark.tearDown();
            double stageMs = stage / 1e6 / rounds;
            double blockingMs = blocking / 1e6 / rounds;
            System.out.printf("%-6s  %11.1f  %14.1f  %11.0f  %14.0f%n", format, stageMs, blockingMs,
                    mib / (stageMs / 1000), mib / (blockingMs / 1000));
        }
    }
}
