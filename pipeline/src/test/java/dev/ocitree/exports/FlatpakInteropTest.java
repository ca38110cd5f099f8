package dev.ocitree.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.imports.ImportEvent;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * flatpak both ways, with an app commit made by {@code flatpak build-export} over a hand-made app
 * directory (no SDK or runtime needed): flatpak's own OCI bundle imported by ocitree gives
 * flatpak's original commit checksum and the app ref; ocitree's export of the app is accepted by
 * {@code flatpak build-import-bundle --oci} with the original content checksum.
 */
class FlatpakInteropTest {

    static final String REF = "app/org.test.Hello/x86_64/master";

    @TempDir
    static Path shared;
    static Path flatpakRepo;
    static Path bundle;
    static String original;

    @BeforeAll
    static void buildAppAndBundle() throws IOException {
        Path app = shared.resolve("app");
        Files.createDirectories(app.resolve("files/bin"));
        Files.createDirectories(app.resolve("files/share/doc"));
        Files.createDirectories(app.resolve("export"));
        Files.writeString(app.resolve("metadata"), "[Application]\nname=org.test.Hello\n"
                + "runtime=org.test.Platform/x86_64/master\nsdk=org.test.Sdk/x86_64/master\ncommand=hello.sh\n\n"
                + "[Context]\nshared=network;\n");
        Files.writeString(app.resolve("files/bin/hello.sh"), "#!/bin/sh\necho \"Hello world, from a sandbox\"\n");
        PeerTools.runOk(shared, "chmod", "755", app.resolve("files/bin/hello.sh").toString());
        Files.writeString(app.resolve("files/share/doc/README"), "some doc\n");
        Files.createSymbolicLink(app.resolve("files/bin/hi"), Path.of("hello.sh"));
        Files.createLink(app.resolve("files/share/doc/README.hardlink"), app.resolve("files/share/doc/README"));
        flatpakRepo = shared.resolve("flatpak-repo");
        PeerTools.runOk(shared, "ostree", "init", "--repo=" + flatpakRepo, "--mode=archive-z2");
        flatpak("build-export", "--timestamp=2024-01-02T03:04:05Z", "--subject=Test subject", "--body=Test body",
                flatpakRepo.toString(), app.toString());
        original = ostree(flatpakRepo, "rev-parse", REF);
        bundle = shared.resolve("bundle");
        flatpak("build-bundle", "--oci", flatpakRepo.toString(), bundle.toString(), "org.test.Hello");
    }

    private static String flatpak(String... args) {
        String[] cmd = new String[args.length + 5];
        cmd[0] = "env";
        cmd[1] = "HOME=" + shared.resolve("home");
        cmd[2] = "FLATPAK_USER_DIR=" + shared.resolve("flatpak-user");
        cmd[3] = "XDG_DATA_HOME=" + shared.resolve("xdg");
        cmd[4] = "flatpak";
        System.arraycopy(args, 0, cmd, 5, args.length);
        return PeerTools.runOk(shared, cmd);
    }

    private static String ostree(Path repo, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ostree";
        cmd[1] = "--repo=" + repo;
        System.arraycopy(args, 0, cmd, 2, args.length);
        return PeerTools.runOk(repo.getParent(), cmd).trim();
    }

    private static String contentChecksum(Path repo, String ref) {
        return ostree(repo, "show", ref).lines().filter(l -> l.startsWith("ContentChecksum:")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = RepoMode.class, names = {"ARCHIVE", "BARE_USER", "BARE_USER_ONLY"})
    void flatpaksOwnBundleImportsAsFlatpaksOriginalCommitAndRef(RepoMode mode, @TempDir Path tmp) {
        Path repo = tmp.resolve("repo");
        List<ImportEvent> events = ExportTesting.importInto(repo, mode, "oci:" + bundle, null);
        RestoredCommit restored = events.stream().filter(e -> e instanceof ImportEvent.Restored)
                .map(e -> ((ImportEvent.Restored) e).restored()).findFirst().orElseThrow();
        assertThat(restored.source()).isEqualTo("flatpak");
        assertThat(ostree(repo, "rev-parse", REF)).isEqualTo(original);
        assertThat(ostree(repo, "show", "--raw", REF)).isEqualTo(ostree(flatpakRepo, "show", "--raw", REF));
        PeerTools.runOk(tmp, "ostree", "fsck", "--repo=" + repo);
    }

    @Test
    void flatpakBuildImportBundleAcceptsOcitreesExportWithTheOriginalContent(@TempDir Path tmp) {
        // from flatpak's own repository, and after a round trip through an ocitree repository
        Path viaOcitree = tmp.resolve("ocitree-repo");
        ExportTesting.importInto(viaOcitree, RepoMode.BARE_USER, "oci:" + bundle, null);
        for (Path source : new Path[] {flatpakRepo, viaOcitree}) {
            Path out = tmp.resolve("export-" + source.getFileName());
            ExportResult r = ExportTesting.export(source, REF, "oci:" + out, Compression.GZIP);
            assertThat(r.tag()).isEqualTo(REF);
            Path target = tmp.resolve("target-" + source.getFileName());
            PeerTools.runOk(tmp, "ostree", "init", "--repo=" + target, "--mode=archive-z2");
            flatpak("build-import-bundle", "--oci", target.toString(), out.toString());
            assertThat(contentChecksum(target, REF)).isEqualTo(contentChecksum(flatpakRepo, REF));
            for (String key : new String[] {"xa.metadata", "xa.installed-size", "ostree.ref-binding"}) {
                assertThat(ostree(target, "show", "--print-metadata-key=" + key, REF)).as(key)
                        .isEqualTo(ostree(flatpakRepo, "show", "--print-metadata-key=" + key, REF));
            }
            assertThat(ostree(target, "log", REF)).contains("Test subject").contains("Test body");
        }
    }

    @Test
    void ocitreesExportOfTheAppCarriesFlatpaksLabels(@TempDir Path tmp) throws IOException {
        ExportResult r = ExportTesting.export(flatpakRepo, REF, "oci:" + tmp.resolve("out"), Compression.GZIP);
        Map<String, String> ours = labels(tmp, "oci:" + tmp.resolve("out") + ":" + REF);
        Map<String, String> theirs = labels(tmp, "oci:" + bundle + ":" + REF);
        for (String key : theirs.keySet()) {
            if (key.startsWith("org.flatpak.") && !key.endsWith("-size")) {
                assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
            }
        }
        assertThat(r.commit().hex()).isEqualTo(original);
    }

    private static Map<String, String> labels(Path tmp, String image) throws IOException {
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(PeerTools.runOk(tmp, "skopeo", "inspect", image)).path("Labels");
        Map<String, String> out = new java.util.TreeMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
