package dev.ocitree.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.Ocitree;
import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.operators.digest.DigestMismatchException;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testimages.TestImages;
import dev.ocitree.testsupport.PeerTools;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * Pulls from the real {@code docker-registry} on loopback, images pushed by the real
 * {@code skopeo copy}, and compares with importing the same OCI layout and with {@code ostree fsck}.
 */
class RegistryPullTest {

    @TempDir
    Path tmp;

    private static Path repo(Path path) {
        OstreeRepository.init(path, RepoMode.ARCHIVE).close();
        return path;
    }

    /** The merged tree (root dirtree and dirmeta) of an imported image. */
    private static String tree(Path repoPath, ImportResult result) {
        try (OstreeRepository repo = OstreeRepository.open(repoPath)) {
            Commit c = repo.loadCommit(result.commit()).block();
            return c.rootTree().hex() + "/" + c.rootMeta().hex();
        }
    }

    @Test
    void pullEqualsImportOfTheSameLayoutAndTheSecondPullDownloadsNoLayer() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "test/rules", "--preserve-digests");
            String source = "docker://" + registry.host() + "/test/rules:v1";

            Path pulled = repo(tmp.resolve("pulled"));
            ImportResult result;
            try (Ocitree ocitree = Ocitree.open(pulled)) {
                // subscribed from a parallel (non-blocking) thread: BlockHound fails any blocking call
                result = ocitree.importImage(source, ImportOptions.defaults().concurrency(3))
                        .subscribeOn(Schedulers.parallel()).block();
            }
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(result.bytesRead()).isEqualTo(image.layers().stream().mapToLong(l -> l.blob().length).sum());
            java.util.List<String> layers = image.layers().stream().map(ImageBuilder.Layer::digest).toList();
            long served = registry.blobBytesServed(layers);

            Path imported = repo(tmp.resolve("imported"));
            ImportResult fromLayout;
            try (Ocitree ocitree = Ocitree.open(imported)) {
                fromLayout = ocitree.importImage("oci:" + layout + ":v1", ImportOptions.defaults()).block();
            }
            assertThat(tree(pulled, result)).isEqualTo(tree(imported, fromLayout));
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + pulled))
                    .contains(ContainerRefs.imageRef(source));

            try (Ocitree ocitree = Ocitree.open(pulled)) {
                ImportResult again = ocitree.importImage(source, ImportOptions.defaults()).block();
                assertThat(again.bytesRead()).isZero();
                assertThat(again.commit()).isEqualTo(result.commit());
            }
            assertThat(registry.blobBytesServed(layers)).as("layer bytes served for the second pull").isEqualTo(served);
        }
    }

    @Test
    void corruptedBlobFailsWithDigestMismatchAndLeavesNoImageRef() throws Exception {
        byte[] content = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(content);
        ImageBuilder image = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/base", "base\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("big.bin", content, 0644, 0, 0), LayerCompression.NONE);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "test/corrupt", "--preserve-digests");
            String layer = image.layers().get(1).digest();
            try (FileChannel ch = FileChannel.open(registry.blobFile(layer), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                long at = 512 + 1000; // inside big.bin's content: the tar stays well-formed
                ch.read(b, at);
                b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
                ch.write(b, at);
            }
            Path pulled = repo(tmp.resolve("pulled"));
            String source = "docker://" + registry.host() + "/test/corrupt:v1";
            try (Ocitree ocitree = Ocitree.open(pulled)) {
                // one layer at a time: the failure then cancels no layer mid-stream (a layer cancelled
                // mid-stream by another's failure can leak a content slice in the write stage: reported)
                assertThatThrownBy(() -> ocitree.importImage(source, ImportOptions.defaults().concurrency(1)).block())
                        .isInstanceOf(DigestMismatchException.class)
                        .hasMessageContaining(layer);
            }
            assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + pulled))
                    .doesNotContain(ContainerRefs.imageRef(source))
                    .doesNotContain(ContainerRefs.blobRef(layer));
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
        }
    }

    @Test
    void indexPicksTheRequestedPlatformAndDockerSchema2ImagesPull() throws Exception {
        ImageBuilder amd = new ImageBuilder().platform("linux", "amd64", null)
                .layer(new LayerBuilder().dir("etc").file("etc/arch", "amd64\n"), LayerCompression.GZIP);
        ImageBuilder arm = new ImageBuilder().platform("linux", "arm64", "v8")
                .layer(new LayerBuilder().dir("etc").file("etc/arch", "arm64\n"), LayerCompression.ZSTD);
        Path multi = ImageBuilder.writeIndex(tmp.resolve("multi"), "v1", java.util.List.of(amd, arm));
        ImageBuilder rules = TestImages.rules(LayerCompression.GZIP);
        Path single = rules.writeLayout(tmp.resolve("single"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(multi, "v1", "test/multi", "--all", "--preserve-digests");
            registry.push(single, "v1", "test/docker", "--format", "v2s2");
            Path pulled = repo(tmp.resolve("pulled"));
            Path imported = repo(tmp.resolve("imported"));
            try (Ocitree ocitree = Ocitree.open(pulled); Ocitree layouts = Ocitree.open(imported)) {
                ImportResult armPull = ocitree.importImage("docker://" + registry.host() + "/test/multi:v1",
                        ImportOptions.defaults().platform(dev.ocitree.oci.Platform.parse("linux/arm64"))).block();
                assertThat(armPull.manifestDigest()).isEqualTo(arm.manifestDigest());
                assertThat(ocitree.repository().readFile(armPull.commit(), "/etc/arch")
                        .map(b -> { try { return b.toString(java.nio.charset.StandardCharsets.UTF_8); }
                                finally { b.release(); } })
                        .collectList().block()).containsExactly("arm64\n");

                assertThatThrownBy(() -> ocitree.importImage("docker://" + registry.host() + "/test/multi:v1",
                        ImportOptions.defaults().platform(dev.ocitree.oci.Platform.parse("linux/s390x"))).block())
                        .isInstanceOf(dev.ocitree.oci.ImageNotFoundException.class)
                        .hasMessageContaining("linux/s390x").hasMessageContaining("linux/arm64/v8");
                ImportResult docker = ocitree.importImage("ostree-unverified-registry:" + registry.host()
                        + "/test/docker:v1", ImportOptions.defaults()).block();
                String manifest = new String(docker.layers().isEmpty() ? new byte[0]
                        : PeerTools.runOk(tmp, "skopeo", "inspect", "--raw", "--tls-verify=false",
                                "docker://" + registry.host() + "/test/docker:v1").getBytes());
                assertThat(manifest).contains("application/vnd.docker.distribution.manifest.v2+json");
                ImportResult fromLayout = layouts.importImage("oci:" + single + ":v1", ImportOptions.defaults()).block();
                assertThat(tree(pulled, docker)).isEqualTo(tree(imported, fromLayout));
            }
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
        }
    }

    @Test
    void httpsWithATestCaNeedsTheCertDirOrTlsVerifyFalse() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        Path pulled = repo(tmp.resolve("pulled"));
        reactor.core.scheduler.Scheduler io = Schedulers.newBoundedElastic(4, 1000, "test-io");
        try (LoopbackRegistry registry = LoopbackRegistry.basicTls(tmp.resolve("registry"));
                OstreeRepository repo = OstreeRepository.open(pulled)) {
            registry.push(layout, "v1", "secure/rules", "--preserve-digests");
            String source = "docker://" + registry.host() + "/secure/rules:v1";
            RegistryOptions creds = RegistryOptions.defaults()
                    .credentials(LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD);
            java.util.function.Function<RegistryOptions, ImportResult> pull = options -> {
                try (dev.ocitree.oci.OciSource s = RegistrySource.open(source, options, io)) {
                    return new dev.ocitree.imports.ImageImporter(repo).importImage(s, ImportOptions.defaults())
                            .ofType(dev.ocitree.imports.ImportEvent.Done.class).blockLast().result();
                }
            };
            assertThatThrownBy(() -> pull.apply(creds))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("registry " + registry.host())
                    .hasMessageContaining("PKIX");
            ImportResult verified = pull.apply(creds.certDir(registry.certDir()).tlsVerify(true));
            assertThat(verified.manifestDigest()).isEqualTo(image.manifestDigest());
            ImportResult unverified = pull.apply(creds.tlsVerify(false));
            assertThat(unverified.commit()).isEqualTo(verified.commit());
        } finally {
            io.dispose();
        }
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
    }

    @Test
    void bearerTokenFlowCachesOneTokenPerPullAndRefusedCredentialsWriteNothing() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        Path pulled = repo(tmp.resolve("pulled"));
        reactor.core.scheduler.Scheduler io = Schedulers.newBoundedElastic(4, 1000, "test-io");
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens"), LoopbackRegistry.USER, LoopbackRegistry.PASSWORD);
                LoopbackRegistry registry = LoopbackRegistry.token(tmp.resolve("registry"), tokens);
                OstreeRepository repo = OstreeRepository.open(pulled)) {
            registry.push(layout, "v1", "team/app", "--preserve-digests");
            tokens.requests().clear();
            String source = "docker://" + registry.host() + "/team/app:v1";
            java.util.function.Function<RegistryOptions, ImportResult> pull = options -> {
                try (dev.ocitree.oci.OciSource s = RegistrySource.open(source, options, io)) {
                    return new dev.ocitree.imports.ImageImporter(repo).importImage(s, ImportOptions.defaults())
                            .ofType(dev.ocitree.imports.ImportEvent.Done.class).blockLast().result();
                }
            };
            assertThatThrownBy(() -> pull.apply(RegistryOptions.defaults().credentials(LoopbackRegistry.USER + ":nope")))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("token server " + tokens.realm())
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("invalid username/password")
                    .hasMessageNotContaining("nope");
            assertThat(tokens.requests()).containsExactly("repository:team/app:pull -> 401");
            tokens.requests().clear();

            ImportResult result = pull.apply(RegistryOptions.defaults()
                    .credentials(LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD));
            assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            assertThat(result.layers()).hasSize(3);
            assertThat(tokens.requests()).as("one token for the manifest, config and 3 blobs")
                    .containsExactly("repository:team/app:pull -> 200");

            RegistryOptions good = RegistryOptions.defaults()
                    .credentials(LoopbackRegistry.USER + ":" + LoopbackRegistry.PASSWORD);
            tokens.requests().clear();
            tokens.breakNextTokens(1);
            assertThatThrownBy(() -> pull.apply(good)).isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("HTTP 401");
            assertThat(tokens.requests()).as("a fresh token the registry refuses is not fetched again (no loop)")
                    .hasSize(1);

            // a cached token past its expires_in (11 s minus the 10 s margin) is replaced by the next 401
            tokens.requests().clear();
            tokens.expiresIn(11);
            try (dev.ocitree.oci.OciSource s = RegistrySource.open(source, good, io)) {
                s.resolve(dev.ocitree.oci.Platform.current()).block();
                s.resolve(dev.ocitree.oci.Platform.current()).block();
                assertThat(tokens.requests()).as("cached for the second resolve").hasSize(1);
                Thread.sleep(1500);
                s.resolve(dev.ocitree.oci.Platform.current()).block();
                assertThat(tokens.requests()).as("refreshed after expiry").hasSize(2);
            }
        } finally {
            io.dispose();
        }
        assertThat(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + pulled)).hasLineCount(4);
        assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
    }

    @Test
    void faultsMidBlobAreRetriedOrResumedAndAFlippedByteFailsWithADigestError() throws Exception {
        byte[] content = new byte[1 << 20];
        new java.util.Random(11).nextBytes(content);
        ImageBuilder image = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/base", "base\n"), LayerCompression.GZIP)
                // uncompressed, so a flipped byte inside big.bin reaches the digest check (gzip's CRC would catch it first)
                .layer(new LayerBuilder().dir("data").file("data/big.bin", content, 0644, 0, 0), LayerCompression.NONE);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        String big = image.layers().get(1).digest();
        reactor.core.scheduler.Scheduler io = Schedulers.newBoundedElastic(4, 1000, "test-io");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"))) {
            registry.push(layout, "v1", "test/faults", "--preserve-digests");
            String expectedTree = null;
            for (FaultProxy.Fault fault : FaultProxy.Fault.values()) {
                Path pulled = repo(tmp.resolve("pulled-" + fault));
                try (FaultProxy proxy = new FaultProxy(registry.host(), big, fault);
                        OstreeRepository repo = OstreeRepository.open(pulled);
                        dev.ocitree.oci.OciSource s = RegistrySource.open("docker://" + proxy.host() + "/test/faults:v1",
                                RegistryOptions.defaults().retries(3).maxRetryDelay(java.time.Duration.ofSeconds(2))
                                        .timeouts(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1)), io)) {
                    reactor.core.publisher.Mono<ImportResult> pull = new dev.ocitree.imports.ImageImporter(repo)
                            .importImage(s, ImportOptions.defaults().concurrency(1)) // see corruptedBlob…
                            .ofType(dev.ocitree.imports.ImportEvent.Done.class).last()
                            .map(dev.ocitree.imports.ImportEvent.Done::result);
                    if (fault == FaultProxy.Fault.FLIP) {
                        assertThatThrownBy(pull::block).as(fault.name())
                                .isInstanceOf(DigestMismatchException.class).hasMessageContaining(big);
                        assertThat(repo.refs("").collectList().block()).as(fault.name())
                                .doesNotContain(ContainerRefs.blobRef(big))
                                .noneMatch(r -> r.startsWith(ContainerRefs.IMAGE_PREFIX));
                        continue;
                    }
                    ImportResult result = pull.block();
                    Commit merged = repo.loadCommit(result.commit()).block();
                    String t = merged.rootTree().hex() + "/" + merged.rootMeta().hex();
                    assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
                    if (expectedTree == null) {
                        expectedTree = t;
                    }
                    assertThat(t).as(fault.name()).isEqualTo(expectedTree);
                    java.util.List<String> blobGets = proxy.requests().stream()
                            .filter(r -> r.startsWith("GET ") && r.contains(big)).toList();
                    switch (fault) {
                        case CUT, STALL -> assertThat(blobGets).as(fault.name()).hasSize(2)
                                .last().asString().contains("bytes=").endsWith("-> 206");
                        case CUT_THEN_IGNORE_RANGE -> assertThat(blobGets).as(fault.name()).hasSize(2)
                                .last().asString().contains("bytes=").endsWith("-> 200");
                        case TOO_MANY_REQUESTS -> assertThat(blobGets).as(fault.name())
                                .containsExactly("GET /v2/test/faults/blobs/" + big + " -> 429",
                                        "GET /v2/test/faults/blobs/" + big + " -> 200");
                        default -> { }
                    }
                }
                assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).as(fault.name()).isZero();
            }
        } finally {
            io.dispose();
        }
    }

    @Test
    void severalBlobsOfOneImageAreInFlightAtOnce() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"));
                FaultProxy proxy = FaultProxy.slow(registry.host(), 500)) {
            registry.push(layout, "v1", "test/parallel", "--preserve-digests");
            Path pulled = repo(tmp.resolve("pulled"));
            try (Ocitree ocitree = Ocitree.open(pulled)) {
                // "localhost": the name is resolved by reactor-netty without blocking an event loop (BlockHound)
                ImportResult result = ocitree.importImage("docker://" + proxy.host().replace("127.0.0.1", "localhost")
                        + "/test/parallel:v1", ImportOptions.defaults().concurrency(3))
                        .subscribeOn(Schedulers.parallel()).block();
                assertThat(result.layers()).hasSize(3);
            }
            assertThat(proxy.maxBlobsInFlight()).as("layer blobs requested at once").isEqualTo(3);
        }
    }

    @Test
    void blobRedirectsToAnotherOriginAreFollowedWithoutTheAuthorizationHeader() throws Exception {
        ImageBuilder image = TestImages.rules(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"));
                FaultProxy front = FaultProxy.redirecting(registry.host(), "user", "front-secret")) {
            registry.push(layout, "v1", "test/redirect", "--preserve-digests");
            Path pulled = repo(tmp.resolve("pulled"));
            reactor.core.scheduler.Scheduler io = Schedulers.newBoundedElastic(4, 1000, "test-io");
            try (OstreeRepository repo = OstreeRepository.open(pulled);
                    dev.ocitree.oci.OciSource s = RegistrySource.open("docker://" + front.host() + "/test/redirect:v1",
                            RegistryOptions.defaults().credentials("user:front-secret"), io)) {
                ImportResult result = new dev.ocitree.imports.ImageImporter(repo)
                        .importImage(s, ImportOptions.defaults())
                        .ofType(dev.ocitree.imports.ImportEvent.Done.class).blockLast().result();
                assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
            } finally {
                io.dispose();
            }
            assertThat(front.requests()).anyMatch(r -> r.endsWith("-> 401")).anyMatch(r -> r.endsWith("-> 307"));
            assertThat(front.storageRequests()).hasSize(4) // config + 3 layers
                    .allMatch(r -> r.endsWith("Authorization=null"));
            assertThat(PeerTools.run(tmp, "ostree", "fsck", "--repo=" + pulled).exitCode()).isZero();
        }
    }

    @Test
    void demandReachesTheSocketAStalledSubscriberStopsTheDownload() throws Exception {
        byte[] content = new byte[48 << 20];
        new java.util.Random(5).nextBytes(content);
        ImageBuilder image = new ImageBuilder()
                .layer(new LayerBuilder().file("big.bin", content, 0644, 0, 0), LayerCompression.NONE);
        Path layout = image.writeLayout(tmp.resolve("layout"), "v1");
        reactor.core.scheduler.Scheduler io = Schedulers.newBoundedElastic(4, 1000, "test-io");
        try (LoopbackRegistry registry = LoopbackRegistry.anonymous(tmp.resolve("registry"));
                FaultProxy proxy = FaultProxy.slow(registry.host(), 0);
                dev.ocitree.oci.OciSource source = RegistrySource.open("docker://" + proxy.host() + "/test/big:v1",
                        RegistryOptions.defaults(), io)) {
            registry.push(layout, "v1", "test/big", "--preserve-digests");
            dev.ocitree.oci.ResolvedImage resolved = source.resolve(dev.ocitree.oci.Platform.current()).block();
            dev.ocitree.oci.Descriptor layer = resolved.layers().get(0);
            long configSize = resolved.manifest().config().size();
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            reactor.core.publisher.BaseSubscriber<io.netty.buffer.ByteBuf> slow = new reactor.core.publisher.BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                    request(1);
                }

                @Override
                protected void hookOnNext(io.netty.buffer.ByteBuf chunk) {
                    received.addAndGet(chunk.readableBytes());
                    chunk.release();
                    first.countDown();
                }

                @Override
                protected void hookOnComplete() {
                    done.complete(null);
                }

                @Override
                protected void hookOnError(Throwable e) {
                    done.completeExceptionally(e);
                }
            };
            source.blob(layer).subscribe(slow);
            assertThat(first.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread.sleep(2000);
            long sentWhileStalled = proxy.blobBytesSent() - configSize;
            // without demand reactor-netty stops reading: the proxy's writes block once the socket buffers are full
            assertThat(sentWhileStalled).as("bytes the server could send to a subscriber that asked for one chunk")
                    .isLessThan(layer.size() / 2);
            slow.request(Long.MAX_VALUE);
            done.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received.get()).isEqualTo(layer.size());
            assertThat(proxy.blobBytesSent()).isEqualTo(configSize + layer.size());
        } finally {
            io.dispose();
        }
    }
}
