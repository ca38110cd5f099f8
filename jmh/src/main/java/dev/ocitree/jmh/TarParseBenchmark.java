package dev.ocitree.jmh;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.operators.tar.TarParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * Tar parsing throughput on one core: ocitree's {@link TarParser} stage (fed {@code chunkSize}
 * slices of an in-memory tar, as a decompressor would hand them over; every content slice is
 * consumed and released) against commons-compress's blocking {@link TarArchiveInputStream} reading
 * every entry's content from the same bytes. One operation parses the whole archive, so
 * MB/s = ops/s x archive size (printed in {@code @Setup}). Two archives ({@code workload}):
 * <ul>
 *   <li>{@code mixed} (~64 MiB): 20 000 small files (0-3000 bytes, every 50th with a long PAX name)
 *       and 5 files of 4 MiB: per-header cost dominates;</li>
 *   <li>{@code large} (~64 MiB): 16 files of 4 MiB: content slicing dominates.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TarParseBenchmark {

    private static final int LARGE_SIZE = 4 << 20;

    @Param({"65536"})
    public int chunkSize;

    @Param({"mixed", "large"})
    public String workload;

    private byte[] tar;
    private ByteBuf archive;
    private long contentBytes;
    private final byte[] readBuffer = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        boolean mixed = workload.equals("mixed");
        int smallFiles = mixed ? 20_000 : 0;
        int largeFiles = mixed ? 5 : 16;
        Random rnd = new Random(42);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(70 << 20);
        long content = 0;
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] data = new byte[LARGE_SIZE];
            rnd.nextBytes(data);
            int every = Math.max(1, smallFiles / largeFiles);
            for (int i = 0; i < smallFiles + largeFiles; i++) {
                boolean large = i % every == 0 && i / every < largeFiles;
                int size = large ? LARGE_SIZE : rnd.nextInt(3000);
                String name = "dir" + (i % 100) + "/file" + i + (i % 50 == 0 ? "-" + "long".repeat(40) : "") + ".bin";
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(size);
                entry.setModTime(1_700_000_000_000L);
                out.putArchiveEntry(entry);
                out.write(data, rnd.nextInt(data.length - size + 1), size);
                out.closeArchiveEntry();
                content += size;
            }
        }
        tar = bytes.toByteArray();
        archive = Unpooled.wrappedBuffer(tar);
        contentBytes = content;
        int entries = smallFiles + largeFiles;
        long[] ours = ocitreeCounts();
        long[] theirs = commonsCounts();
        if (ours[0] != entries || ours[1] != content || theirs[0] != entries || theirs[1] != content) {
            throw new IllegalStateException("setup check failed: expected " + entries + " entries / " + content
                    + " bytes; ocitree " + ours[0] + " / " + ours[1] + ", commons " + theirs[0] + " / " + theirs[1]);
        }
        System.out.printf("%ntar archive: %d bytes (%.1f MiB), %d entries, %d content bytes%n", tar.length,
                tar.length / 1048576.0, entries, content);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        archive.release();
    }

    /** ocitree's stage; returns the content bytes seen (all slices released). */
    @Benchmark
    public long ocitreeTarParser() {
        return ocitreeCounts()[1];
    }

    /** commons-compress's TarArchiveInputStream, every entry's content read. */
    @Benchmark
    public long commonsTarArchiveInputStream() throws IOException {
        return commonsCounts()[1];
    }

    private long[] ocitreeCounts() {
        long[] counts = new long[2];
        int length = tar.length;
        int chunks = (length + chunkSize - 1) / chunkSize;
        Flux.range(0, chunks)
                .map(i -> archive.retainedSlice(i * chunkSize, Math.min(chunkSize, length - i * chunkSize)))
                .transform(TarParser.parse(StreamLimits.defaults()))
                .doOnNext(event -> {
                    if (event instanceof TarEvent.Content c) {
                        counts[1] += c.data().readableBytes();
                        c.release();
                    } else if (event instanceof TarEvent.Entry) {
                        counts[0]++;
                    }
                })
                .blockLast();
        return counts;
    }

    private long[] commonsCounts() throws IOException {
        long[] counts = new long[2];
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            while (in.getNextEntry() != null) {
                counts[0]++;
                counts[1] += drain(in);
            }
        }
        return counts;
    }

    private long drain(InputStream in) throws IOException {
        long n = 0;
        for (int r; (r = in.read(readBuffer)) > 0; ) {
            n += r;
        }
        return n;
    }
}
