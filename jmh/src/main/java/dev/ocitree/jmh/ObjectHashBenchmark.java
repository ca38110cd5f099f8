package dev.ocitree.jmh;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.Xattrs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * SHA-256 object hashing as the import does it (OSTREE-FORMAT.md §2.3: the file header, then the
 * content), on one core, over a direct {@code ByteBuf} as the tar parser hands it over. {@code size}
 * 4 KiB shows the per-object cost (header, digest setup), 1 MiB the streaming rate: MiB/s =
 * ops/s × size. {@code @Setup} checks that the ByteBuf path and the byte[] path give the same
 * checksum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObjectHashBenchmark {

    @Param({"4096", "1048576"})
    public int size;

    private final FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
    private ByteBuf content;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        content = Unpooled.directBuffer(size).writeBytes(bytes);
        Checksum expected = FileObjectHasher.checksum(meta, bytes);
        if (!hash().equals(expected)) {
            throw new IllegalStateException("ByteBuf and byte[] hashing disagree");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        content.release();
    }

    @Benchmark
    public Checksum hash() {
        FileObjectHasher hasher = new FileObjectHasher(meta, size);
        hasher.update(content);
        return hasher.finish();
    }
}
