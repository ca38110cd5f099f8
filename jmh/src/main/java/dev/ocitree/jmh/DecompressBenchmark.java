package dev.ocitree.jmh;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.operators.compress.Decompressors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
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
 * Decompression throughput of our non-blocking stages ({@link Decompressors#of}) against the
 * blocking stream path ({@code GZIPInputStream}, zstd-jni's {@code ZstdInputStream}, lz4-java's
 * {@code LZ4FrameInputStream}) on the same 32 MiB of layer-like data, compressed in {@link #setUp}.
 * One operation decodes the whole stream; MB/s = ops/s x 32 MiB. The stage is fed 64 KiB chunks
 * (slices of one direct buffer, as a network source delivers them) and its output chunks are
 * released as they arrive; the blocking path reads into a 64 KiB array.
 *
 * <pre>java -jar jmh/target/benchmarks.jar DecompressBenchmark -f1 -wi 1 -i 2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecompressBenchmark {

    static final int SIZE = 32 << 20;
    static final int CHUNK = 64 * 1024;

    @Param({"gzip", "zstd", "lz4"})
    public String format;

    private Compression compression;
    private byte[] compressed;
    private ByteBuf compressedDirect;
    private Function<Flux<ByteBuf>, Flux<ByteBuf>> stage;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        compression = Compression.valueOf(format.toUpperCase());
        byte[] original = layerLike(SIZE, 42);
        compressed = compress(compression, original);
        compressedDirect = Unpooled.directBuffer(compressed.length).writeBytes(compressed);
        stage = Decompressors.of(compression, StreamLimits.defaults());
        byte[] expected = sha256(original);
        if (!Arrays.equals(sha256(decodeWithStage()), expected)) {
            throw new IllegalStateException(format + ": the stage's output differs from the original");
        }
        ByteArrayOutputStream blocking = new ByteArrayOutputStream(SIZE);
        decodeBlocking(blocking);
        if (!Arrays.equals(sha256(blocking.toByteArray()), expected)) {
            throw new IllegalStateException(format + ": the blocking path's output differs from the original");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compressedDirect.release();
    }

    /** Our stage: 64 KiB input chunks through {@code Decompressors.of}, every output chunk released. */
    @Benchmark
    public long stage() {
        return input().transform(stage).reduce(0L, (n, chunk) -> {
            long total = n + chunk.readableBytes();
            chunk.release();
            return total;
        }).block();
    }

    /** The blocking JDK / library stream path on the same bytes. */
    @Benchmark
    public long blockingStream() throws IOException {
        return decodeBlocking(null);
    }

    private Flux<ByteBuf> input() {
        int chunks = (compressed.length + CHUNK - 1) / CHUNK;
        return Flux.range(0, chunks).map(i -> compressedDirect.retainedSlice(i * CHUNK,
                Math.min(CHUNK, compressed.length - i * CHUNK)));
    }

    private byte[] decodeWithStage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);
        input().transform(stage).doOnNext(chunk -> {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            chunk.release();
            out.writeBytes(bytes);
        }).blockLast();
        return out.toByteArray();
    }

    /** Decodes with the blocking stream; copies the bytes to {@code keep} unless null. */
    private long decodeBlocking(ByteArrayOutputStream keep) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        try (InputStream in = blockingStream(new ByteArrayInputStream(compressed))) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (keep != null) {
                    keep.write(buffer, 0, n);
                }
            }
        }
        return total;
    }

    private InputStream blockingStream(InputStream raw) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPInputStream(raw, CHUNK);
            case ZSTD -> new ZstdInputStream(raw);
            case LZ4 -> new LZ4FrameInputStream(raw);
            case NONE -> raw;
        };
    }

    private static byte[] compress(Compression compression, byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(data.length / 2);
        try (OutputStream out = switch (compression) {
            case GZIP -> new GZIPOutputStream(sink, CHUNK);
            case ZSTD -> new ZstdOutputStream(sink, 3);
            case LZ4 -> new LZ4FrameOutputStream(sink, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB);
            case NONE -> sink;
        }) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    /**
     * Deterministic bytes shaped like a container layer's tar: 512-byte headers, source-like text,
     * incompressible binary runs and zero padding, in roughly the proportions of a base image.
     */
    static byte[] layerLike(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"usr", "lib", "share", "doc", "x86_64-linux-gnu", "include", "static", "const", "return",
            "if", "else", "struct", "int", "char", "void", "0x00", "(", ")", "{", "}", ";", "=", "\n", "\t"};
        byte[] data = new byte[size];
        int pos = 0;
        while (pos < size) {
            int kind = random.nextInt(10);
            int length = Math.min(size - pos, 512 + random.nextInt(kind < 3 ? 32_768 : 8192));
            if (kind < 3) {
                byte[] binary = new byte[length];
                random.nextBytes(binary);
                for (int i = 0; i < length; i += 7) {
                    binary[i] = 0; // machine code is not quite random
                }
                System.arraycopy(binary, 0, data, pos, length);
            } else if (kind < 9) {
                int end = pos + length;
                int at = pos;
                while (at < end) {
                    byte[] word = (words[random.nextInt(words.length)] + ' ').getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    int n = Math.min(word.length, end - at);
                    System.arraycopy(word, 0, data, at, n);
                    at += n;
                }
            } // else: zero padding
            pos += length;
        }
        return data;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
