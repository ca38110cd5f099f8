package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.ostree.repo.CorruptObjectException;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** A cancelled or failing export leaves no temp file (and, checked by the test guards, no leaked buffer). */
class ExportFailureTest {

    private static final Scheduler IO = Schedulers.newBoundedElastic(4, 1000, "export-failure-io");

    @AfterAll
    static void dispose() {
        IO.dispose();
    }

    private static String commitBigFile(Path tmp, String mode) throws IOException {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree);
        byte[] data = new byte[24 * 1024 * 1024];
        new Random(1).nextBytes(data);
        Files.write(tree.resolve("big"), data);
        Files.writeString(tree.resolve("small"), "small\n");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + tmp.resolve("repo"), "--mode=" + mode);
        return PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + tmp.resolve("repo"), "-b", "big",
                "--tree=dir=" + tree).trim();
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void cancellingMidLayerRemovesTheTempBlob(@TempDir Path tmp) throws Exception {
        commitBigFile(tmp, "bare-user");
        Path out = tmp.resolve("out");
        try (OstreeRepository repo = OstreeRepository.open(tmp.resolve("repo"))) {
            Disposable running = new ImageExporter(repo, IO).export("big", "oci:" + out, ExportOptions.defaults())
                    .subscribe();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (files(out).stream().noneMatch(f -> f.contains(".ocitree-tmp-")) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(files(out)).anyMatch(f -> f.contains(".ocitree-tmp-"));
            running.dispose();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (files(out).stream().anyMatch(f -> f.contains(".ocitree-tmp-")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(files(out)).containsExactly("oci-layout");
        }
    }

    @Test
    void aCorruptObjectFailsTheExportTypedAndLeavesNoTempFile(@TempDir Path tmp) throws Exception {
        commitBigFile(tmp, "archive");
        Path objects = tmp.resolve("repo/objects");
        Path biggest;
        try (Stream<Path> s = Files.walk(objects)) {
            biggest = s.filter(p -> p.toString().endsWith(".filez")).max((a, b) -> Long.compare(a.toFile().length(),
                    b.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(biggest);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(biggest, bytes);
        Path out = tmp.resolve("out");
        try (OstreeRepository repo = OstreeRepository.open(tmp.resolve("repo"))) {
            assertThatThrownBy(() -> new ImageExporter(repo, IO).export("big", "oci-archive:" + out, ExportOptions.defaults())
                    .block()).isInstanceOf(CorruptObjectException.class);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("repo", "tree");
        }
    }
}
