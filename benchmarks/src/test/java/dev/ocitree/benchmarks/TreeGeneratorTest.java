package dev.ocitree.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeGeneratorTest {
    private static final long BUDGET = 3L << 20;

    @TempDir
    Path tmp;

    @Test
    void sameSeedWritesIdenticalLayersAndAnotherSeedDoesNot() throws IOException {
        List<String> a = listing(image(tmp.resolve("a"), 7));
        List<String> b = listing(image(tmp.resolve("b"), 7));
        List<String> c = listing(image(tmp.resolve("c"), 8));
        assertThat(a).isNotEmpty().isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void layersHoldLinksDeepAndWideDirectoriesAndAboutTheBudget() throws IOException {
        Path root = image(tmp, 42);
        Path base = root.resolve("layer0");
        assertThat(Files.readSymbolicLink(base.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(base.resolve("usr/share/deep/level-01/level-02/level-03/level-10/level-20/level-40"))
                .doesNotExist(); // the chain is one path, not these names
        try (Stream<Path> s = Files.walk(base)) {
            List<Path> all = s.toList();
            assertThat(all).anyMatch(p -> p.toString().endsWith("level-40"));
            assertThat(all).anyMatch(p -> Files.isSymbolicLink(p) && !p.getFileName().toString().equals("bin"));
            long regularBytes = all.stream().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(TreeGeneratorTest::size).sum();
            // hardlinks count twice in a walk, so at least the budget
            assertThat(regularBytes).isBetween(BUDGET * 45 / 100, BUDGET * 45 / 100 * 2);
            assertThat(all).anyMatch(p -> linkCount(p) > 1);
        }
        try (Stream<Path> s = Files.list(base.resolve("usr/share/wide"))) {
            assertThat(s.count()).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void whiteoutLayerDeletesOnlyPathsOfLowerLayers() throws IOException {
        Path root = image(tmp, 42);
        Path top = root.resolve("layer3");
        List<Path> whiteouts;
        try (Stream<Path> s = Files.walk(top)) {
            whiteouts = s.filter(p -> p.getFileName().toString().startsWith(".wh.")).toList();
        }
        assertThat(whiteouts).anyMatch(p -> p.getFileName().toString().equals(".wh..wh..opq"));
        List<Path> plain = whiteouts.stream().filter(p -> !p.getFileName().toString().equals(".wh..wh..opq")).toList();
        assertThat(plain).hasSizeGreaterThanOrEqualTo(2);
        for (Path w : plain) {
            String rel = top.relativize(w.getParent()).resolve(w.getFileName().toString().substring(4)).toString();
            assertThat(List.of("layer0", "layer1", "layer2"))
                    .as("whiteout %s deletes something of a lower layer", rel)
                    .anyMatch(l -> Files.exists(root.resolve(l).resolve(rel), LinkOption.NOFOLLOW_LINKS));
            assertThat(top.resolve(rel)).as("no entry next to its own whiteout").doesNotExist();
        }
    }

    /** Four layers the way ImageBuilder writes them: 45/30/20% plus a whiteout layer. */
    private static Path image(Path dir, long seed) throws IOException {
        TreeGenerator gen = new TreeGenerator(seed);
        long[] budgets = {BUDGET * 45 / 100, BUDGET * 30 / 100, BUDGET * 20 / 100};
        for (int i = 0; i < budgets.length; i++) {
            Files.createDirectories(dir.resolve("layer" + i));
            gen.layer(dir.resolve("layer" + i), budgets[i], i);
        }
        Files.createDirectories(dir.resolve("layer3"));
        gen.whiteouts(dir.resolve("layer3"), BUDGET * 5 / 100);
        return dir;
    }

    /** Path, type, permissions, link target and content hash of every entry, in order. */
    private static List<String> listing(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.add(rel + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.add(rel + "/");
                } else {
                    out.add(rel + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                            + sha256(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int linkCount(Path p) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? (Integer) Files.getAttribute(p, "unix:nlink") : 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
