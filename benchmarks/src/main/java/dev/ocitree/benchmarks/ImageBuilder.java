package dev.ocitree.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Builds the test images as OCI image layouts with the real tools: layer directories from
 * {@link TreeGenerator} (or a real directory), {@code tar --format=pax --sort=name} with fixed
 * owners and mtimes, {@code pigz -n -6} and {@code zstd -3}, {@code sha256sum} for digests; config,
 * manifest and index.json written by {@link Json}. A built layout is kept in the work directory
 * and reused while its key (kind, size, seed or source directory) is the same.
 */
final class ImageBuilder {
    static final long EPOCH = 1_700_000_000L;
    private static final String VERSION = "v1";
    private static final String MT_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String MT_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final String TAR = "tar --format=pax --pax-option=delete=atime,delete=ctime --sort=name "
            + "--mtime=@" + EPOCH + " --owner=0 --group=0 --numeric-owner";

    private final Path work;
    private final long seed;
    private final Path fromDir;

    ImageBuilder(Path work, long seed, Path fromDir) {
        this.work = work;
        this.seed = seed;
        this.fromDir = fromDir;
    }

    /**
     * Returns the image {@code name} ({@code one-gzip}, {@code four-zstd}...) of about {@code size}
     * uncompressed bytes, building its layout (both compressions) if it is not in the work directory.
     */
    Image image(String name, long size) {
        String kind = name.substring(0, name.indexOf('-'));
        String compression = name.substring(name.indexOf('-') + 1);
        Path dir = work.resolve("images").resolve(key(kind, size));
        Path done = dir.resolve("built.properties");
        if (!Files.exists(done)) {
            build(kind, size, dir);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(done)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path layout = dir.resolve("oci");
        List<Image.Layer> layers = new ArrayList<>();
        String[] digests = p.getProperty(compression + ".digests").split(",");
        String[] sizes = p.getProperty(compression + ".sizes").split(",");
        String[] diffIds = p.getProperty("diffIds").split(",");
        String[] tarSizes = p.getProperty("tarSizes").split(",");
        for (int i = 0; i < digests.length; i++) {
            layers.add(new Image.Layer(layout.resolve("blobs/sha256").resolve(digests[i].substring(7)), digests[i],
                    Long.parseLong(sizes[i]), diffIds[i], Long.parseLong(tarSizes[i])));
        }
        long tarTotal = layers.stream().mapToLong(Image.Layer::tarSize).sum();
        return new Image(name, layout, compression, compression, List.copyOf(layers), tarTotal,
                p.getProperty("description"));
    }

    private String key(String kind, long size) {
        String src = fromDir == null ? "s" + seed
                : "dir" + fromDir.toString().replace('/', '_') + "-" + Integer.toHexString(fromDir.hashCode());
        return kind + "-" + (fromDir == null ? Options.label(size) : "all") + "-" + src + "-" + VERSION;
    }

    private void build(String kind, long size, Path dir) {
        long t0 = System.nanoTime();
        System.out.printf("building image %s (%s, %s) in %s%n", kind, fromDir == null ? Options.human(size)
                : fromDir.toString(), fromDir == null ? "seed " + seed : "real directory", dir);
        try {
            deleteTree(dir);
            Files.createDirectories(dir.resolve("oci/blobs/sha256"));
            Files.createDirectories(dir.resolve("tar"));
            List<Path> tars = fromDir == null ? generated(kind, size, dir) : fromDirectory(kind, dir);
            String description = Files.readString(dir.resolve("description.txt"));
            List<String> diffIds = new ArrayList<>();
            List<String> tarSizes = new ArrayList<>();
            for (Path t : tars) {
                diffIds.add("sha256:" + sha256(t));
                tarSizes.add(Long.toString(Files.size(t)));
            }
            Properties props = new Properties();
            props.setProperty("diffIds", String.join(",", diffIds));
            props.setProperty("tarSizes", String.join(",", tarSizes));
            props.setProperty("description", description);
            Path layout = dir.resolve("oci");
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            List<Object> indexEntries = new ArrayList<>();
            for (String compression : List.of("gzip", "zstd")) {
                List<Object> layerDescs = new ArrayList<>();
                List<String> digests = new ArrayList<>();
                List<String> sizes = new ArrayList<>();
                for (Path t : tars) {
                    Path tmp = layout.resolve("blobs/sha256/.tmp");
                    String compress = compression.equals("gzip") ? "pigz -n -6 -c " : "zstd -q -3 -T0 -c ";
                    Proc.sh(null, compress + Proc.q(t) + " > " + Proc.q(tmp));
                    String hex = sha256(tmp);
                    long blobSize = Files.size(tmp);
                    Files.move(tmp, layout.resolve("blobs/sha256").resolve(hex),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    digests.add("sha256:" + hex);
                    sizes.add(Long.toString(blobSize));
                    layerDescs.add(Json.obj("mediaType", compression.equals("gzip") ? MT_GZIP : MT_ZSTD,
                            "digest", "sha256:" + hex, "size", blobSize));
                }
                props.setProperty(compression + ".digests", String.join(",", digests));
                props.setProperty(compression + ".sizes", String.join(",", sizes));
                List<Object> history = new ArrayList<>();
                for (int i = 0; i < tars.size(); i++) {
                    history.add(Json.obj("created", "2023-11-14T22:13:20Z",
                            "created_by", "ocitree benchmarks: layer " + (i + 1) + " of " + kind));
                }
                Map<String, Object> config = Json.obj("created", "2023-11-14T22:13:20Z", "architecture", "amd64",
                        "os", "linux",
                        "config", Json.obj("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                                "Cmd", List.of("/bin/sh"), "WorkingDir", "/"),
                        "rootfs", Json.obj("type", "layers", "diff_ids", diffIds),
                        "history", history);
                Map<String, Object> configDesc = blob(layout, "application/vnd.oci.image.config.v1+json", config);
                Map<String, Object> manifest = Json.obj("schemaVersion", 2,
                        "mediaType", "application/vnd.oci.image.manifest.v1+json",
                        "config", configDesc, "layers", layerDescs);
                Map<String, Object> manifestDesc = blob(layout, "application/vnd.oci.image.manifest.v1+json", manifest);
                manifestDesc.put("annotations", Json.obj("org.opencontainers.image.ref.name", compression));
                indexEntries.add(manifestDesc);
            }
            Files.writeString(layout.resolve("index.json"), Json.write(Json.obj("schemaVersion", 2,
                    "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", indexEntries), false));
            deleteTree(dir.resolve("src"));
            deleteTree(dir.resolve("tar"));
            try (Writer w = Files.newBufferedWriter(dir.resolve("built.properties"), StandardCharsets.UTF_8)) {
                props.store(w, "ocitree benchmark image " + dir.getFileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("building image " + dir + ": " + e.getMessage(), e);
        }
        System.out.printf("  built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Writes a JSON document as a blob and returns its descriptor. */
    private static Map<String, Object> blob(Path layout, String mediaType, Object doc) throws IOException {
        byte[] bytes = Json.write(doc, false).getBytes(StandardCharsets.UTF_8);
        Path tmp = layout.resolve("blobs/sha256/.tmp");
        Files.write(tmp, bytes);
        String hex = sha256(tmp);
        Files.move(tmp, layout.resolve("blobs/sha256").resolve(hex), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Json.obj("mediaType", mediaType, "digest", "sha256:" + hex, "size", (long) bytes.length);
    }

    private List<Path> generated(String kind, long size, Path dir) throws IOException {
        TreeGenerator gen = new TreeGenerator(seed);
        List<Path> tars = new ArrayList<>();
        StringBuilder desc = new StringBuilder();
        long[] budgets = kind.equals("one") ? new long[] {size}
                : new long[] {size * 45 / 100, size * 30 / 100, size * 20 / 100, size * 5 / 100};
        TreeGenerator.Stats total = new TreeGenerator.Stats(0, 0, 0, 0, 0, 0);
        for (int i = 0; i < budgets.length; i++) {
            Path src = dir.resolve("src/layer" + i);
            Files.createDirectories(src);
            boolean whiteoutLayer = budgets.length > 1 && i == budgets.length - 1;
            TreeGenerator.Stats s = whiteoutLayer ? gen.whiteouts(src, budgets[i]) : gen.layer(src, budgets[i], i);
            total = total.plus(s);
            desc.append(String.format("layer %d: %d files (%s), %d dirs, %d symlinks, %d hardlinks, %d whiteouts%n",
                    i + 1, s.files(), Options.human(s.bytes()), s.dirs(), s.symlinks(), s.hardlinks(), s.whiteouts()));
            Path tar = dir.resolve("tar/layer" + i + ".tar");
            Proc.sh(null, TAR + " -C " + Proc.q(src) + " -cf " + Proc.q(tar) + " .");
            tars.add(tar);
        }
        desc.append(String.format("total: %d files (%s), %d dirs, %d symlinks, %d hardlinks, %d whiteouts",
                total.files(), Options.human(total.bytes()), total.dirs(), total.symlinks(), total.hardlinks(),
                total.whiteouts()));
        Files.writeString(dir.resolve("description.txt"), desc.toString());
        return tars;
    }

    /**
     * From a real directory: one layer of all of it, or three layers splitting its top-level entries
     * by size plus a generated whiteout layer deleting ~1% of its files.
     */
    private List<Path> fromDirectory(String kind, Path dir) throws IOException {
        List<Path> tars = new ArrayList<>();
        List<String> entries;
        try (Stream<Path> s = Files.list(fromDir)) {
            entries = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (kind.equals("one")) {
            Path tar = dir.resolve("tar/layer0.tar");
            Proc.sh(null, TAR + " -C " + Proc.q(fromDir) + " -cf " + Proc.q(tar) + " .");
            tars.add(tar);
            Files.writeString(dir.resolve("description.txt"), "one layer: all of " + fromDir);
            return tars;
        }
        // greedy: biggest entry into the lightest of three layers
        List<List<String>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long[] weight = new long[3];
        List<Map.Entry<String, Long>> sized = new ArrayList<>();
        for (String e : entries) {
            sized.add(Map.entry(e, du(fromDir.resolve(e))));
        }
        sized.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : sized) {
            int lightest = weight[0] <= weight[1] && weight[0] <= weight[2] ? 0 : (weight[1] <= weight[2] ? 1 : 2);
            groups.get(lightest).add(e.getKey());
            weight[lightest] += e.getValue();
        }
        StringBuilder desc = new StringBuilder();
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> g = groups.get(i).stream().sorted().toList();
            if (g.isEmpty()) {
                throw new IllegalArgumentException("--from-dir " + fromDir + " needs at least 3 top-level entries");
            }
            Path tar = dir.resolve("tar/layer" + i + ".tar");
            StringBuilder members = new StringBuilder();
            for (String m : g) {
                members.append(' ').append(Proc.q(m));
                collect(fromDir, fromDir.resolve(m), files, dirs);
            }
            Proc.sh(null, TAR + " -C " + Proc.q(fromDir) + " -cf " + Proc.q(tar) + " --" + members);
            tars.add(tar);
            desc.append(String.format("layer %d: %s (%s)%n", i + 1, String.join(" ", g), Options.human(weight[i])));
        }
        files.sort(Comparator.naturalOrder());
        dirs.sort(Comparator.naturalOrder());
        TreeGenerator gen = new TreeGenerator(seed);
        gen.addLower(files, dirs);
        Path src = dir.resolve("src/layer3");
        Files.createDirectories(src);
        TreeGenerator.Stats s = gen.whiteouts(src, Math.max(1 << 20, (weight[0] + weight[1] + weight[2]) / 100));
        Path tar = dir.resolve("tar/layer3.tar");
        Proc.sh(null, TAR + " -C " + Proc.q(src) + " -cf " + Proc.q(tar) + " .");
        tars.add(tar);
        desc.append(String.format("layer 4: %d whiteouts and %d new files (%s)", s.whiteouts(), s.files(),
                Options.human(s.bytes())));
        Files.writeString(dir.resolve("description.txt"), desc.toString());
        return tars;
    }

    private static void collect(Path root, Path p, List<String> files, List<String> dirs) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.forEach(f -> {
                String rel = root.relativize(f).toString();
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    if (rel.chars().filter(c -> c == '/').count() == 1) {
                        dirs.add(rel);
                    }
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(rel);
                }
            });
        }
    }

    private static long du(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    static String sha256(Path file) {
        return Proc.run(null, "sha256sum", file.toString()).substring(0, 64);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Proc.run(null, "rm", "-rf", "--", p.toString());
    }
}
