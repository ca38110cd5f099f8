package dev.ocitree.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testsupport.PeerTools;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer with one huge directory, imported by the real command line at the launcher's default
 * heap (256 MiB): a million entries fail with a typed limit error naming the directory, within
 * seconds, and leave nothing behind; a heap too small for a smaller directory ends the process
 * with one error line instead of hanging.
 */
class BoundedMemoryTest {

    @TempDir
    Path tmp;

    @Test
    void aDirectoryOfAMillionEntriesFailsNamingTheDirectoryAtTheDefaultHeap() throws Exception {
        Path layout = hugeDirectoryImage(tmp.resolve("million"), 1_000_000);
        Path repo = tmp.resolve("repo");
        CliProcess.run(tmp, repo, 60, "init", "--mode=bare-user-only").ok();
        CliProcess.Result r = CliProcess.run(tmp, repo, 300, "import", "oci:" + layout + ":latest", "-b", "big");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("error: layer sha256:").contains("directory '/big' has 262144 entries")
                .contains("maxDirectoryEntries").doesNotContain("OutOfMemoryError");
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo)).isBlank();
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("ocitree-staging-"));
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repo).exitCode()).isZero();
    }

    @Test
    void runningOutOfHeapOnAWorkerEndsTheProcessWithOneErrorLine() throws Exception {
        Path layout = hugeDirectoryImage(tmp.resolve("200k"), 200_000);
        Path repo = tmp.resolve("repo");
        CliProcess.run(tmp, repo, 60, "init", "--mode=bare-user-only").ok();
        // the parallel collector's GC-overhead limit makes thrashing an OutOfMemoryError on every JDK
        // (JDK 25's serial collector kept a 40 MiB heap collecting for minutes instead)
        CliProcess.Result r = CliProcess.start(tmp, List.of("-XX:+UseParallelGC", "-XX:ParallelGCThreads=1",
                "-XX:+UseGCOverheadLimit", "-Xms40m", "-Xmx40m"), repo, "import", "oci:" + layout + ":latest", "-b", "big")
                .await(180);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).contains("error: out of memory in ").contains("raise OCITREE_HEAP")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stderr().lines().filter(l -> l.startsWith("error:")).count()).as(r.stderr()).isEqualTo(1);
        // the next write removes what the dead process staged, and the repository is intact
        CliProcess.run(tmp, repo, 120, "import", "oci:" + layout + ":latest", "-b", "big").ok();
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("ocitree-staging-"));
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + repo).exitCode()).isZero();
    }

    /** An OCI layout whose one gzip layer holds {@code big/} with {@code entries} empty files, streamed to disk. */
    static Path hugeDirectoryImage(Path dir, int entries) throws Exception {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Path layerFile = blobs.resolve("layer.tmp");
        MessageDigest diff = MessageDigest.getInstance("SHA-256");
        MessageDigest blob = MessageDigest.getInstance("SHA-256");
        long blobSize;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(layerFile), 1 << 16);
                DigestOutputStream blobDigest = new DigestOutputStream(file, blob);
                GZIPOutputStream gzip = new GZIPOutputStream(blobDigest, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                };
                DigestOutputStream diffDigest = new DigestOutputStream(gzip, diff);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(diffDigest)) {
            TarArchiveEntry d = new TarArchiveEntry("big/", TarArchiveEntry.LF_DIR, true);
            d.setMode(040755);
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
            for (int i = 0; i < entries; i++) {
                TarArchiveEntry e = new TarArchiveEntry(String.format("big/f%07d", i), TarArchiveEntry.LF_NORMAL, true);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
        }
        blobSize = Files.size(layerFile);
        String layerDigest = HexFormat.of().formatHex(blob.digest());
        Files.move(layerFile, blobs.resolve(layerDigest));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"sha256:" + HexFormat.of().formatHex(diff.digest()) + "\"]}}";
        String configDigest = write(blobs, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + configDigest + "\",\"size\":" + config.length() + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + layerDigest + "\",\"size\":"
                + blobSize + "}]}";
        String manifestDigest = write(blobs, manifest);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
                + manifest.length() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return dir;
    }

    private static String write(Path blobs, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Files.write(blobs.resolve(hex), bytes);
            return hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
