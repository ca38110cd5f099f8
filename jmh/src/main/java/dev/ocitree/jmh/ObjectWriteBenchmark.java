package dev.ocitree.jmh;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.FileObjectHasher;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.repo.OstreeRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.Random;
import reactor.core.publisher.Flux;
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
 * Writing one new content object into a repository of each mode through the public single-object
 * path ({@link OstreeRepository#writeFile}: a transaction of its own — the shared lock — and the write
 * stage: hash, claim, create under the final name in the staging area, permissions, mtime / xattr /
 * deflate), one caller. Every op writes different content (a counter in
 * the first bytes), so no write is skipped as already present. {@code size} 4 KiB is typical of the
 * many small files of a layer. The repository lives in {@code dir} (default {@code /dev/shm}: the
 * code path; {@code -p dir=/var/tmp} measures the disk too) and is replaced each iteration.
 * {@code @Setup} writes one object and checks it is present under the checksum computed apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObjectWriteBenchmark {

    @Param({"bare-user-only", "bare-user", "archive"})
    public String mode;

    @Param({"4096"})
    public int size;

    @Param({"/dev/shm"})
    public String dir;

    private final FileMeta meta = FileMeta.regular(0, 0, 0644, Xattrs.empty());
    private byte[] bytes;
    private ByteBuf content;
    private long counter;
    private Path scratch;
    private OstreeRepository repo;

    @Setup(Level.Iteration)
    public void setUp() {
        bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        content = Unpooled.directBuffer(size).writeBytes(bytes);
        scratch = Scratch.create(dir, "ocitree-jmh-write");
        repo = OstreeRepository.init(scratch.resolve("repo"), RepoMode.fromConfigName(mode));
        Checksum written = write();
        byte[] expectedBytes = bytes.clone();
        content.getBytes(0, expectedBytes);
        Checksum expected = FileObjectHasher.checksum(meta.canonical(repo.mode()), expectedBytes);
        if (!written.equals(expected) || !Boolean.TRUE.equals(repo.has(ObjectType.FILE, written).block())) {
            throw new IllegalStateException("object " + written + " not stored as " + expected);
        }
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        repo.close();
        content.release();
        Scratch.delete(scratch);
    }

    @Benchmark
    public Checksum write() {
        content.setLong(0, ++counter);
        return repo.writeFile(meta, size, Flux.just(content.retainedDuplicate())).block();
    }
}
