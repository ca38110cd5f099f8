package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.MutableTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The in-memory merge of layer trees with OCI whiteouts ({@code LayerMerger}, package-private, hence
 * this package): four layers of 10,000 files each in 200 package directories; layers 2 and 3
 * rewrite 2% of the files below them, layer 4 whites out 1% of the files, deletes one package
 * directory and makes another opaque. One op merges all four into a new tree. {@code @Setup} checks
 * the merged file count and that whiteouts and the opaque directory took effect.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MergeBenchmark {

    private static final int PACKAGES = 200;
    private static final int FILES = 50;

    private final Checksum meta = Checksum.sha256("dirmeta".getBytes(StandardCharsets.UTF_8));
    private final List<MutableTree> layers = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        for (int layer = 1; layer <= 3; layer++) {
            MutableTree root = new MutableTree(meta);
            MutableTree usr = root.putDir("usr", meta);
            for (int p = 0; p < PACKAGES; p++) {
                MutableTree pkg = usr.putDir("pkg" + p, meta);
                for (int f = 0; f < FILES; f++) {
                    if (layer == 1 || (p * FILES + f) % 50 == layer) {
                        pkg.putFile("file" + f + ".py", file(layer + "/" + p + "/" + f));
                    }
                }
                if (layer > 1) {
                    pkg.putFile("layer" + layer + "-new", file(layer + "/new/" + p));
                }
            }
            layers.add(root);
        }
        MutableTree top = new MutableTree(meta);
        MutableTree usr = top.putDir("usr", meta);
        for (int p = 0; p < PACKAGES; p++) {
            if (p != 7) {
                MutableTree pkg = usr.putDir("pkg" + p, meta);
                pkg.putFile(LayerMerger.WHITEOUT + "file" + (p % FILES) + ".py", file("wh"));
            }
        }
        usr.putFile(LayerMerger.WHITEOUT + "pkg7", file("wh"));
        usr.dir("pkg8").putFile(LayerMerger.OPAQUE, file("wh"));
        usr.dir("pkg8").putFile("refilled", file("refilled"));
        layers.add(top);

        MutableTree merged = merge();
        MutableTree mergedUsr = merged.dir("usr");
        if (mergedUsr.dir("pkg7") != null || mergedUsr.dir("pkg8").files().size() != 1
                || mergedUsr.dir("pkg9").files().containsKey("file9.py")
                || mergedUsr.dir("pkg9").files().size() != FILES - 1 + 2) {
            throw new IllegalStateException("merge did not apply the whiteouts as expected");
        }
    }

    private static Checksum file(String name) {
        return Checksum.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public MutableTree merge() {
        LayerMerger merger = new LayerMerger(new MutableTree(meta), c -> null, meta);
        int i = 0;
        for (MutableTree layer : layers) {
            merger.apply("layer" + (++i), layer, Set.of(), Map.of());
        }
        return merger.merged();
    }
}
