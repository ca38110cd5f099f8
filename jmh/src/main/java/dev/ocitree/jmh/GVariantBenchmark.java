package dev.ocitree.jmh;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GVariant cost of OSTree metadata on one core: a dirtree of 1000 entries (900 files, 100
 * subdirectories, realistic names) serialised, parsed (strict normal-form validation included) and
 * checksummed; a commit with ref-binding and version metadata serialised and parsed; and the
 * per-file content header ({@code (uuuusa(ayay))} with two xattrs) every imported file pays.
 * {@code @Setup} checks that parse(serialize(x)) == x and that the bytes re-serialise identically.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GVariantBenchmark {

    private Dirtree dirtree;
    private byte[] dirtreeBytes;
    private Commit commit;
    private byte[] commitBytes;
    private FileMeta fileMeta;

    @Setup(Level.Trial)
    public void setUp() {
        TreeMap<String, Checksum> files = new TreeMap<>();
        TreeMap<String, Dirtree.Subdir> dirs = new TreeMap<>();
        for (int i = 0; i < 900; i++) {
            String name = "lib" + Integer.toString(i * 7919, 36) + (i % 3 == 0 ? ".so." + (i % 10) : "-module.py");
            files.put(name, sha(name));
        }
        for (int i = 0; i < 100; i++) {
            String name = "package-" + i;
            dirs.put(name, new Dirtree.Subdir(sha(name + "/tree"), sha(name + "/meta")));
        }
        dirtree = new Dirtree(files, dirs);
        dirtreeBytes = dirtree.serialize();
        check(Dirtree.parse(dirtreeBytes).equals(dirtree), "dirtree parse");
        check(Arrays.equals(Dirtree.parse(dirtreeBytes).serialize(), dirtreeBytes), "dirtree re-serialise");

        Map<String, Variant> metadata = new LinkedHashMap<>();
        metadata.put("version", Variant.string("42.1"));
        metadata.put("ostree.container.image-config", Variant.string("{\"architecture\":\"amd64\"}".repeat(20)));
        metadata.put(Commit.REF_BINDING, Commit.refBinding(List.of("ocitree/image/example/latest")));
        commit = new Commit(metadata, sha("parent"), "Import of example:latest", "layer 3 of 4", 1_700_000_000L,
                dirtree.checksum(), sha("meta"));
        commitBytes = commit.serialize();
        check(Commit.parse(commitBytes).equals(commit), "commit parse");
        check(Arrays.equals(Commit.parse(commitBytes).serialize(), commitBytes), "commit re-serialise");

        fileMeta = FileMeta.regular(1000, 1000, 0644, Xattrs.of(Map.of("user.a", new byte[] {1},
                "security.capability", new byte[20])));
        check(fileMeta.fileHeader().length > 8, "file header");
        System.out.printf("%n[setup] dirtree %d bytes, commit %d bytes, file header %d bytes%n", dirtreeBytes.length,
                commitBytes.length, fileMeta.fileHeader().length);
    }

    private static Checksum sha(String s) {
        return Checksum.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }

    @Benchmark
    public byte[] dirtreeEncode() {
        return dirtree.serialize();
    }

    @Benchmark
    public Dirtree dirtreeDecode() {
        return Dirtree.parse(dirtreeBytes);
    }

    @Benchmark
    public Checksum dirtreeChecksum() {
        return dirtree.checksum();
    }

    @Benchmark
    public byte[] commitEncode() {
        return commit.serialize();
    }

    @Benchmark
    public Commit commitDecode() {
        return Commit.parse(commitBytes);
    }

    @Benchmark
    public byte[] fileHeader() {
        return fileMeta.fileHeader();
    }
}
