package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.cli.Cli;
import dev.ocitree.Ocitree;
import dev.ocitree.exports.ExportFixtures;
import dev.ocitree.exports.ExportOptions;
import dev.ocitree.exports.ExportResult;
import dev.ocitree.exports.ImageExporter;
import dev.ocitree.exports.InvalidDestinationException;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.RootfsListing;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code ocitree export REF docker://…} against the real {@code docker-registry} on loopback: what
 * {@code skopeo inspect} and {@code umoci unpack} read back, an {@code ocitree pull} of the pushed
 * image, blobs skipped and mounted, chunked uploads, Basic auth, and the errors; the registry's
 * access log says which requests were made.
 */
class PushTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path repo;
    static String commit;

    @BeforeAll
    static void commitTree() throws IOException {
        Path tree = ExportFixtures.tree(shared.resolve("tree"), true);
        repo = shared.resolve("repo");
        commit = ExportFixtures.commitWithHistory(repo, "archive", tree, "app");
    }

    @TempDir
    Path tmp;

    /** Exports {@code rev} of {@link #repo} to {@code dest} with its own I/O scheduler. */
    private static ExportResult export(Path repoPath, String rev, String dest, ExportOptions options) {
        Scheduler io = Schedulers.newBoundedElastic(4, 1000, "push-test-io");
        try (OstreeRepository r = OstreeRepository.open(repoPath)) {
            // subscribed from a parallel (non-blocking) thread: BlockHound fails any blocking call
            return new ImageExporter(r, io).export(rev, dest, options).subscribeOn(Schedulers.parallel()).block();
        } finally {
            io.dispose();
        }
    }

    /** A copy of the shared repository: its own record of exported layers, none yet. */
    private Path freshCopy() {
        Path copy = tmp.resolve("repo-copy");
        PeerTools.runOk(tmp, "cp", "-a", repo.toString(), copy.toString());
        PeerTools.runOk(tmp, "rm", "-rf", copy.resolve("extensions/ocitree").toString());
        return copy;
    }



    /** The requests of the access log after the first {@code from}, whose "METHOD PATH STATUS" contains {@code part}. */
    private static List<String> requests(LoopbackRegistry registry, int from, String part) throws IOException {
        List<String> all = registry.requests();
        return all.subList(from, all.size()).stream().filter(r -> r.contains(part)).toList();
    }

    @Test
    void pushIsReadBySkopeoWithTheDigestsOfAnOciExportUnpacksAsTheCheckoutAndPullsBackToTheSameCommit()
            throws Exception {
        Path source = freshCopy();
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            String dest = "docker://" + registry.host() + "/ocitree/app:v1";
            Cli.Run pushed = Cli.run("--repo=" + source, "export", "app", dest);
            assertThat(pushed.exit()).as(pushed.err()).isZero();
            // one blob of ~3 MiB under the default 4 MiB chunk: monolithic POST + PUT, no PATCH
            assertThat(requests(registry, 0, "PATCH ")).isEmpty();
            assertThat(requests(registry, 0, "PUT /v2/ocitree/app/blobs/uploads/")).hasSize(2);

            ExportResult oci = export(source, "app", "oci:" + tmp.resolve("layout") + ":v1", ExportOptions.defaults());
            assertThat(pushed.out()).contains("manifest " + oci.manifestDigest(), "layer    " + oci.layerDigest());
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--tls-verify=false", dest));
            assertThat(inspect.path("Digest").asText()).isEqualTo(oci.manifestDigest());
            assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(oci.layerDigest());
            JsonNode config = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--config", "--tls-verify=false", dest));
            assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(oci.diffId());
            assertThat(PeerTools.runOk(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false", dest))
                    .isEqualTo(Files.readString(tmp.resolve("layout/blobs/sha256/" + oci.manifestDigest().substring(7))));

            PeerTools.runOk(tmp, "skopeo", "--insecure-policy", "copy", "--src-tls-verify=false", dest,
                    "oci:" + tmp.resolve("pulled") + ":p");
            PeerTools.runOk(tmp, "umoci", "unpack", "--image", tmp.resolve("pulled") + ":p", tmp.resolve("bundle").toString());
            PeerTools.runOk(tmp, "ostree", "checkout", "--repo=" + repo, "app", tmp.resolve("checkout").toString());
            assertThat(RootfsListing.of(tmp.resolve("bundle/rootfs"))).isEqualTo(RootfsListing.of(tmp.resolve("checkout")))
                    .containsKey("usr/bin/tool");

            Path back = tmp.resolve("back");
            OstreeRepository.init(back, RepoMode.ARCHIVE).close();
            try (Ocitree ocitree = Ocitree.open(back)) {
                ocitree.importImage(dest, ImportOptions.defaults()).block();
            }
            assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + back, "app").trim()).isEqualTo(commit);
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + back).exitCode()).isZero();
        }
    }

    @Test
    void skopeoCopyOfAnOciExportAndOurPushStoreTheSameManifestAndTheCopyImportsBackToTheCommit() throws Exception {
        ExportResult oci = export(repo, "app", "oci:" + tmp.resolve("layout") + ":v1", ExportOptions.defaults());
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(tmp.resolve("layout"), "v1", "copied/app");
            String copied = "docker://" + registry.host() + "/copied/app:v1";
            ExportResult ours = export(repo, "app", "docker://" + registry.host() + "/pushed/app:v1",
                    ExportOptions.defaults());
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--tls-verify=false", copied));
            assertThat(inspect.path("Digest").asText()).isEqualTo(oci.manifestDigest()).isEqualTo(ours.manifestDigest());
            assertThat(inspect.path("Labels").path("org.flatpak.commit").asText()).isEqualTo(commit);
            PeerTools.runOk(tmp, "skopeo", "--insecure-policy", "copy", "--src-tls-verify=false", copied,
                    "oci:" + tmp.resolve("pulled") + ":p");
        }
        Path back = tmp.resolve("back");
        OstreeRepository.init(back, RepoMode.ARCHIVE).close();
        try (Ocitree ocitree = Ocitree.open(back)) {
            ocitree.importImage("oci:" + tmp.resolve("pulled") + ":p", ImportOptions.defaults()).block();
        }
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + back, "app").trim()).isEqualTo(commit);
    }

    @Test
    void chunkedUploadGivesTheSameDigestsAndASecondPushSendsNoBlob() throws Exception {
        Path source = freshCopy();
        ExportResult oci = export(repo, "app", "oci:" + tmp.resolve("layout"), ExportOptions.defaults());
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            ExportOptions chunked = ExportOptions.defaults().chunkSize(256 * 1024);
            ExportResult first = export(source, "app", "docker://" + registry.host() + "/chunks/app:one", chunked);
            assertThat(first.manifestDigest()).isEqualTo(oci.manifestDigest());
            assertThat(first.layerDigest()).isEqualTo(oci.layerDigest());
            assertThat(first.diffId()).isEqualTo(oci.diffId());
            assertThat(first.layerSize()).isEqualTo(oci.layerSize()).isGreaterThan(3L * 256 * 1024);
            List<String> patches = requests(registry, 0, "PATCH /v2/chunks/app/blobs/uploads/");
            assertThat(patches).hasSize((int) ((oci.layerSize() + 256 * 1024 - 1) / (256 * 1024)))
                    .allMatch(r -> r.endsWith(" 202"));
            assertThat(registry.blobFile(oci.layerDigest())).hasSize(oci.layerSize());

            int before = registry.requests().size();
            ExportResult again = export(source, "app", "docker://" + registry.host() + "/chunks/app:two", chunked);
            assertThat(again).usingRecursiveComparison().ignoringFields("destination", "tag").isEqualTo(first);
            assertThat(requests(registry, before, "/blobs/uploads/")).isEmpty();
            assertThat(requests(registry, before, "HEAD /v2/chunks/app/blobs/"))
                    .containsExactly("HEAD /v2/chunks/app/blobs/" + oci.layerDigest() + " 200",
                            "HEAD /v2/chunks/app/blobs/" + oci.configDigest() + " 200");
            assertThat(requests(registry, before, "PUT ")).containsExactly("PUT /v2/chunks/app/manifests/two 201");
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--tls-verify=false",
                    "docker://" + registry.host() + "/chunks/app:two"));
            assertThat(inspect.path("Digest").asText()).isEqualTo(oci.manifestDigest());
        }
    }

    @Test
    void blobsAreMountedFromAnotherRepositoryAndUploadedWhenTheMountIsRefused() throws Exception {
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            ExportResult first = export(repo, "app", "docker://" + registry.host() + "/team/base:1", ExportOptions.defaults());
            int before = registry.requests().size();
            ExportResult mounted = export(repo, "app", "docker://" + registry.host() + "/team/other:1",
                    ExportOptions.defaults().mountFrom("team/base"));
            assertThat(mounted.manifestDigest()).isEqualTo(first.manifestDigest());
            assertThat(requests(registry, before, "POST ")).containsExactly(
                    "POST /v2/team/other/blobs/uploads/?mount=" + first.layerDigest() + "&from=team/base 201",
                    "POST /v2/team/other/blobs/uploads/?mount=" + first.configDigest() + "&from=team/base 201");
            assertThat(requests(registry, before, "PATCH ")).isEmpty();
            assertThat(requests(registry, before, "PUT ")).containsExactly("PUT /v2/team/other/manifests/1 201");

            before = registry.requests().size();
            ExportResult uploaded = export(repo, "app", "docker://" + registry.host() + "/team/third:1",
                    ExportOptions.defaults().mountFrom("team/nothing-here"));
            assertThat(uploaded.manifestDigest()).isEqualTo(first.manifestDigest());
            assertThat(requests(registry, before, "POST ")).hasSize(2).allMatch(r -> r.endsWith(" 202"));
            assertThat(requests(registry, before, "PUT /v2/team/third/blobs/uploads/")).hasSize(2)
                    .allMatch(r -> r.endsWith(" 201"));
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--tls-verify=false",
                    "docker://" + registry.host() + "/team/third:1"));
            assertThat(inspect.path("Digest").asText()).isEqualTo(first.manifestDigest());
        }
    }

    @Test
    void basicAuthRegistryTakesCredsAndRefusesAnAnonymousPushWithAClearErrorTaggingNothing() throws Exception {
        try (LoopbackRegistry registry = LoopbackRegistry.basic(tmp.resolve("registry"))) {
            String dest = "docker://" + registry.host() + "/secure/app:v1";
            Cli.Run anonymous = Cli.run("--repo=" + repo, "export", "app", dest);
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).contains("push to registry " + registry.host(), "secure/app", "401", "--creds");
            String creds = "--creds=" + LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD;
            assertThat(PeerTools.run(tmp, "skopeo", "inspect", "--tls-verify=false", creds, dest).exitCode()).isNotZero();

            Cli.Run wrong = Cli.run("--repo=" + repo, "export", "app", dest, "--creds=" + LoopbackRegistry.USER + ":nope-42");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("push to registry", "401", "authentication failed", "'" + LoopbackRegistry.USER + "'")
                    .doesNotContain("nope-42");

            Cli.Run pushed = Cli.run("--repo=" + repo, "export", "app", dest, creds, "--compress=zstd");
            assertThat(pushed.exit()).as(pushed.err()).isZero();
            JsonNode inspect = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--tls-verify=false", creds, dest));
            assertThat(inspect.path("Labels").path("org.flatpak.commit").asText()).isEqualTo(commit);
            JsonNode manifest = JSON.readTree(PeerTools.runOk(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false",
                    creds, dest));
            assertThat(manifest.path("layers").get(0).path("mediaType").asText())
                    .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
            assertThat(pushed.out() + pushed.err()).doesNotContain(LoopbackRegistry.PASSWORD);
            assertThat(Cli.run("help", "export").out()).contains("docker://HOST[:PORT]/NAME[:TAG|@DIGEST]", "--creds",
                    "--authfile", "--cert-dir", "--tls-verify", "--retries", "--chunk-size", "--mount-from");
        }
    }

    @Test
    void bearerTokensAreAskedForWithPushScopeAndThePullScopeOfTheRepositoryMountedFrom() throws Exception {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens"), LoopbackRegistry.USER, LoopbackRegistry.PASSWORD);
                LoopbackRegistry registry = LoopbackRegistry.token(tmp.resolve("registry"), tokens)) {
            ExportOptions options = ExportOptions.defaults().registry(RegistryOptions.defaults()
                    .credentials(LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD));
            ExportResult base = export(repo, "app", "docker://" + registry.host() + "/tok/base:1", options);
            assertThat(tokens.requests()).containsExactly("repository:tok/base:pull,push -> 200");
            int before = registry.requests().size();
            ExportResult other = export(repo, "app", "docker://" + registry.host() + "/tok/other:1",
                    options.mountFrom("tok/base"));
            assertThat(other.manifestDigest()).isEqualTo(base.manifestDigest());
            assertThat(tokens.requests()).containsExactly("repository:tok/base:pull,push -> 200",
                    "repository:tok/other:pull,push repository:tok/base:pull -> 200");
            assertThat(requests(registry, before, "POST ")).hasSize(2).allMatch(r -> r.endsWith(" 201"));

            assertThatThrownBy(() -> export(repo, "app", "docker://" + registry.host() + "/tok/anonymous:1",
                    ExportOptions.defaults()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("push to registry " + registry.host() + ", repository tok/anonymous")
                    .hasMessageContaining("401");
        }
    }

    @Test
    void rejectedDigestAndBadDestinationsAreTypedErrorsNamingTheDestination() throws Exception {
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            String wrongDigest = "sha256:" + "0".repeat(64);
            String dest = "docker://" + registry.host() + "/errors/app@" + wrongDigest;
            assertThatThrownBy(() -> export(repo, "app", dest, ExportOptions.defaults()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("push to registry " + registry.host() + ", repository errors/app")
                    .hasMessageContaining("HTTP 400").hasMessageContaining("DIGEST_INVALID");
            assertThat(requests(registry, 0, "/manifests/")).containsExactly(
                    "PUT /v2/errors/app/manifests/" + wrongDigest + " 400");
        }
        assertThatThrownBy(() -> export(repo, "app", "docker://127.0.0.1:1/Upper/Case", ExportOptions.defaults()))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("docker://127.0.0.1:1/Upper/Case");
        Scheduler io = Schedulers.newBoundedElastic(2, 100, "push-test-io");
        try (OstreeRepository r = OstreeRepository.open(repo)) {
            assertThatThrownBy(() -> new ImageExporter(r, io).exportImage("some-image", "docker://127.0.0.1:1/x:y",
                    ExportOptions.defaults()).block())
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("docker://127.0.0.1:1/x:y")
                    .hasMessageContaining("not supported yet");
        } finally {
            io.dispose();
        }
        assertThatThrownBy(() -> export(repo, "app", "docker://127.0.0.1:1/x:y",
                ExportOptions.defaults().registry(RegistryOptions.defaults().retries(0))))
                .isInstanceOf(RegistryException.class).hasMessageContaining("push to registry 127.0.0.1:1, repository x");
    }

    @Test
    void aCancelledChunkedPushCancelsItsUploadAndReleasesItsBuffers() throws Exception {
        Path source = freshCopy();
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            Scheduler io = Schedulers.newBoundedElastic(4, 1000, "push-test-io");
            try (OstreeRepository r = OstreeRepository.open(source)) {
                Disposable push = new ImageExporter(r, io).export("app", "docker://" + registry.host() + "/cancel/app:v1",
                                ExportOptions.defaults().chunkSize(64 * 1024).compression(Compression.NONE))
                        .subscribeOn(Schedulers.parallel()).subscribe(x -> { }, e -> { });
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (requests(registry, 0, "PATCH ").size() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(requests(registry, 0, "PATCH ")).hasSizeGreaterThanOrEqualTo(3);
                push.dispose();
                while (requests(registry, 0, "DELETE ").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                io.dispose();
            }
            // the DELETE names the upload; distribution answers 204, or 404 when the cancelled PATCH
            // had already moved the upload past the state the DELETE carries (then distribution
            // cancels the upload itself): either way, no upload is left
            assertThat(requests(registry, 0, "DELETE /v2/cancel/app/blobs/uploads/")).hasSize(1);
            assertThat(registry.uploadsInProgress("cancel/app")).as("%s", registry.requests()).isEmpty();
            assertThat(requests(registry, 0, "/manifests/")).isEmpty();
        }
    }
}
