package dev.ocitree.jmh;

import dev.ocitree.imports.ImageImporter;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
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
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The whole import of an image held in memory: four gzip layers (about 2,000 files, 16 MiB
 * uncompressed in all) whose blobs are served from byte arrays in 64 KiB chunks, so the figure is
 * the pipeline's (digests, inflate, tar, hashing, object writes, merge, commits), not a disk's
 * reads. Each op imports into a fresh repository in {@code dir} (default {@code /dev/shm}). MiB/s
 * = 16 / (seconds per op). {@code @Setup} imports once and checks the merged commit exists and
 * that a second import gives the same commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ImportBenchmark {

    @Param({"bare-user-only", "archive"})
    public String mode;

    @Param({"/dev/shm"})
    public String dir;

    private final Map<String, byte[]> blobs = new HashMap<>();
    private Path scratch;
    private Path layout;
    private Scheduler io;
    private int runs;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        io = Schedulers.newBoundedElastic(4, Integer.MAX_VALUE, "jmh-import-io");
        scratch = Scratch.create(dir, "ocitree-jmh-import");
        layout = scratch.resolve("layout");
        writeLayout();
        Checksum first = importOnce();
        Checksum second = importOnce();
        if (!first.equals(second)) {
            throw new IllegalStateException("two imports of the same image gave " + first + " and " + second);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        io.dispose();
        Scratch.delete(scratch);
    }

    @Benchmark
    public Checksum importImage() {
        return importOnce();
    }

    private Checksum importOnce() {
        Path repoPath = scratch.resolve("repo-" + (++runs));
        try (OstreeRepository repo = OstreeRepository.init(repoPath, RepoMode.fromConfigName(mode));
                OciSource source = new MemorySource(OciSource.open("oci:" + layout + ":latest", io))) {
            ImportEvent.Done done = new ImageImporter(repo).importImage(source, ImportOptions.defaults())
                    .ofType(ImportEvent.Done.class).blockLast();
            if (done == null || !Boolean.TRUE.equals(repo.has(dev.ocitree.ostree.ObjectType.COMMIT,
                    done.result().commit()).block())) {
                throw new IllegalStateException("no merged commit");
            }
            return done.result().commit();
        } finally {
            Scratch.delete(repoPath);
        }
    }

    /** The layout's index, manifest and config from disk; every blob from memory. */
    private final class MemorySource implements OciSource {
        private final OciSource layoutSource;

        MemorySource(OciSource layoutSource) {
            this.layoutSource = layoutSource;
        }

        @Override
        public String name() {
            return layoutSource.name();
        }

        @Override
        public Mono<ResolvedImage> resolve(Platform platform) {
            return layoutSource.resolve(platform);
        }

        @Override
        public Flux<ByteBuf> blob(Descriptor descriptor) {
            byte[] bytes = blobs.get(descriptor.digest());
            if (bytes == null) {
                return layoutSource.blob(descriptor);
            }
            int chunk = 64 * 1024;
            return Flux.range(0, (bytes.length + chunk - 1) / chunk)
                    .map(i -> Unpooled.wrappedBuffer(bytes, i * chunk, Math.min(chunk, bytes.length - i * chunk)));
        }

        @Override
        public void close() {
            layoutSource.close();
        }
    }

    private void writeLayout() throws IOException {
        Random random = new Random(42);
        List<String> layerDigests = new ArrayList<>();
        List<Long> layerSizes = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int layer = 0; layer < 4; layer++) {
            byte[] tar = tar(layer, random);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar);
            }
            byte[] blob = gz.toByteArray();
            layerDigests.add(putBlob(blob));
            layerSizes.add((long) blob.length);
            diffIds.add(digest(tar));
        }
        StringBuilder config = new StringBuilder("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        for (int i = 0; i < diffIds.size(); i++) {
            config.append(i == 0 ? "" : ",").append('"').append(diffIds.get(i)).append('"');
        }
        byte[] configBytes = config.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
        String configDigest = putBlob(configBytes);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + configBytes.length + "},\"layers\":[");
        for (int i = 0; i < layerDigests.size(); i++) {
            manifest.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(layerDigests.get(i)).append("\",\"size\":").append(layerSizes.get(i)).append('}');
        }
        byte[] manifestBytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String manifestDigest = putBlob(manifestBytes);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifestBytes.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
    }

    /** About 500 files of 32 B to 64 KiB (compressible text and random bytes), in 20 directories. */
    private static byte[] tar(int layer, Random random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int d = 0; d < 20; d++) {
                TarArchiveEntry dirEntry = new TarArchiveEntry("usr/lib/pkg" + layer + "-" + d + "/");
                dirEntry.setMode(040755);
                out.putArchiveEntry(dirEntry);
                out.closeArchiveEntry();
                for (int f = 0; f < 25; f++) {
                    byte[] content = new byte[32 + random.nextInt(64 * 1024)];
                    if (f % 2 == 0) {
                        random.nextBytes(content);
                    } else {
                        for (int i = 0; i < content.length; i++) {
                            content[i] = (byte) ('a' + (i * 7 + f) % 26);
                        }
                    }
                    TarArchiveEntry e = new TarArchiveEntry("usr/lib/pkg" + layer + "-" + d + "/file" + f);
                    e.setMode(0100644);
                    e.setSize(content.length);
                    out.putArchiveEntry(e);
                    out.write(content);
                    out.closeArchiveEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private String putBlob(byte[] data) throws IOException {
        String digest = digest(data);
        Path file = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        blobs.put(digest, data);
        return digest;
    }

    private static String digest(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
