package dev.ocitree.exports;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.oci.InvalidSourceException;
import dev.ocitree.oci.MediaTypes;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.registry.RegistryPush;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.operators.compress.Compressors;
import dev.ocitree.operators.digest.Digests;
import dev.ocitree.operators.tar.TarWriter;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.tarsplit.TarSplitException;
import dev.ocitree.operators.digest.DigestMismatchException;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Exports a commit as a one-layer OCI image, or an imported image with its original layers
 * ({@link #exportImage}: {@link LayerTarRebuild}), into an OCI layout ({@code oci:DIR[:TAG]}), an OCI
 * archive ({@code oci-archive:FILE[:TAG]}) or a {@code docker save} archive
 * ({@code docker-archive:FILE[:NAME:TAG]}, layer uncompressed), or pushes a commit to a registry
 * ({@code docker://HOST/NAME[:TAG|@DIGEST]}: the compressed layer streams into the upload, see
 * {@link RegistryPush}); docs/export.md.
 *
 * <pre>
 * repository.list(commit) ─► CommitTar (members: metadata on the repository's threads, content
 *   streamed per file) ─► TarWriter ─► Digests.sha256 (diff_id) ─► publishOn(parallel) ─►
 *   Compressors (gzip | zstd | none) ─► BlobWriter (SHA-256, temp file on io, fsync, rename)
 * </pre>
 *
 * Memory is bounded by the stages' prefetch (a few 64 KiB chunks), not by the tree. The same commit
 * gives the same layer, config and manifest digests: tar order, owners, modes, xattrs and mtimes
 * come from the commit alone, and the JSON holds no wall-clock time. The config's labels carry the
 * commit object and its detached metadata ({@link CommitLabels}), so an import rebuilds the same
 * commit checksum. A failed or cancelled export leaves no temp file; blobs already renamed stay
 * (they are complete and named by their digest). The layer of a commit export is remembered in the
 * repository ({@link ExportedLayers}), so a later push of the same commit can ask the registry for
 * it before compressing it.
 */
public final class ImageExporter {

    /** The most layers of an image export rebuilt at once. */
    static final int LAYER_CONCURRENCY = 3;

    private final OstreeRepository repo;
    private final Scheduler io;

    /**
     * @param repo the repository to read (not closed here)
     * @param io   a bounded scheduler for blocking file work; owned by the caller
     */
    public ImageExporter(OstreeRepository repo, Scheduler io) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.io = Objects.requireNonNull(io, "io");
    }

    /**
     * Exports {@code rev} (a ref or a commit checksum) to {@code destination}.
     *
     * @throws InvalidDestinationException (as the error signal) for a destination that cannot be
     *     parsed or written
     * @throws dev.ocitree.registry.RegistryException (as the error signal) when a push to a
     *     {@code docker://} destination fails; the message names the registry and repository, the
     *     request, the HTTP status and the registry's error codes
     */
    public Mono<ExportResult> export(String rev, String destination, ExportOptions options) {
        ExportDestination dest;
        try {
            dest = ExportDestination.parse(destination);
        } catch (InvalidDestinationException e) {
            return Mono.error(e);
        }
        ExportOptions effective = dest.isDockerArchive() ? options.compression(Compression.NONE) : options;
        Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor = Compressors.of(effective.compression());
        String ref = Checksum.isValidHex(rev) ? null : rev;
        // the repository's shared lock: a concurrent prune cannot remove objects while they are read
        return repo.transaction(repo.resolveCommit(rev).flatMap(checksum -> Mono.zip(repo.loadCommit(checksum),
                        repo.loadDetachedMetadata(checksum).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .map(t -> new Source(checksum, t.getT1(), t.getT2().orElse(null), ref)))
                .flatMap(source -> dest.isRegistry() ? push(dest, source, effective)
                        : write(dest, new Job(source.checksum(), source.commit().timestampSeconds(),
                                CommitLabels.isFlatpakRef(ref) ? ref : "latest",
                                (blobs, c) -> layerAndConfig(blobs, source, c, effective.compression())),
                                effective, compressor)));
    }

    /**
     * Exports the imported image {@code image} (a name as {@link ImageStore#images()} lists it, or
     * any spelling {@link ImageStore#find} accepts) with its original config and layers: each layer
     * tar is rebuilt from its layer commit and the tar record kept at import, byte for byte (its
     * diff_id is verified while it streams), then compressed; {@link #LAYER_CONCURRENCY} layers at
     * once. Only the compressed bytes, hence the layer digests and the manifest, differ from the
     * original image.
     *
     * @throws TarSplitException (as the error signal) naming the layer that cannot be rebuilt
     * @throws DigestMismatchException (as the error signal) when a rebuilt tar is not the original
     */
    public Mono<ExportResult> exportImage(String image, String destination, ExportOptions options) {
        ExportDestination dest;
        try {
            dest = ExportDestination.parse(destination);
        } catch (InvalidDestinationException e) {
            return Mono.error(e);
        }
        if (dest.isRegistry()) {
            return Mono.error(new InvalidDestinationException("destination '" + destination + "': pushing an"
                    + " imported image with its original layers is not supported yet; export it to oci:DIR and"
                    + " skopeo copy the layout"));
        }
        ExportOptions effective = dest.isDockerArchive() ? options.compression(Compression.NONE) : options;
        Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor = Compressors.of(effective.compression());
        return repo.transaction(new ImageStore(repo).original(image)
                .flatMap(stored -> write(dest, new Job(stored.info().commit(), stored.timestamp(), "latest",
                        (blobs, c) -> imageLayersAndConfig(blobs, stored.image(), c)), effective, compressor)));
    }

    /** What an export writes: the commit it names, the archive mtime, the default tag, and how to write the blobs. */
    private record Job(Checksum commit, long timestamp, String defaultTag,
            BiFunction<Path, Function<Flux<ByteBuf>, Flux<ByteBuf>>, Mono<Built>> blobs) {
    }

    private Mono<ExportResult> write(ExportDestination dest, Job job, ExportOptions options,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        if (dest.isOciArchive() || dest.isDockerArchive()) {
            return packed(dest, job, options, compressor);
        }
        return layout(dest.path(), dest, job, options, compressor);
    }

    /** The commit being exported. */
    private record Source(Checksum checksum, Commit commit, DetachedMetadata detached, String ref) {
    }

    /** The layer and config blobs, written. */
    private record Built(List<ExportResult.Layer> layers, BlobWriter.Blob config) {
    }

    /** {@code oci-archive:} or {@code docker-archive:}: written to a hidden directory next to the file, packed, removed. */
    private Mono<ExportResult> packed(ExportDestination dest, Job job, ExportOptions options,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        Path file = dest.path().toAbsolutePath();
        return Mono.usingWhen(
                Mono.fromCallable(() -> file.resolveSibling("." + file.getFileName() + ".ocitree-" + UUID.randomUUID()))
                        .subscribeOn(io),
                dir -> (dest.isDockerArchive() ? dockerArchive(dir, dest, job) : layout(dir, dest, job, options, compressor))
                        .flatMap(r -> LayoutArchive.write(dir, file, job.timestamp(), io).thenReturn(r)),
                this::deleteTree, (dir, e) -> deleteTree(dir), this::deleteTree);
    }

    private Mono<Void> deleteTree(Path dir) {
        return Mono.<Void>fromRunnable(() -> {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).subscribeOn(io);
    }

    /** The commit's tree as a tar. */
    private Flux<ByteBuf> commitTar(Source source) {
        return CommitTar.members(repo, source.checksum(), source.commit().timestampSeconds())
                .transform(TarWriter.write());
    }

    /** The config of the export of {@code source} whose layer tar hashes to {@code diffId}. */
    private static byte[] config(Source source, String diffId) {
        Map<String, String> labels = CommitLabels.of(source.checksum(), source.commit(), source.detached(),
                source.ref());
        return ImageDocuments.config(source.commit().timestampSeconds(), ImageDocuments.architecture(source.ref()),
                diffId, labels);
    }

    /**
     * Streams the commit's tree as one layer into {@code blobs} (remembered with
     * {@link ExportedLayers} under {@code compression}) and writes the config next to it.
     */
    private Mono<Built> layerAndConfig(Path blobs, Source source, Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor,
            Compression compression) {
        return layer(blobs, commitTar(source), null, null, compressor)
                .flatMap(layer -> ExportedLayers.remember(repo.path(), source.checksum(), compression, layer, io)
                        .then(BlobWriter.toBlob(blobs, config(source, layer.diffId()), io))
                        .map(configBlob -> new Built(List.of(layer), configBlob)));
    }

    /**
     * {@code docker://}: the layer (skipped when the registry has the digest an earlier export of
     * this commit gave, see {@link ExportedLayers}; else streamed from the compressor into the
     * upload), then the config, then the manifest under the tag; see {@link RegistryPush}.
     */
    private Mono<ExportResult> push(ExportDestination dest, Source source, ExportOptions options) {
        RegistryPush push;
        try {
            push = RegistryPush.open(dest.text(), options.registry(), options.chunkSize(), options.mountFrom(), io);
        } catch (InvalidSourceException e) {
            return Mono.error(new InvalidDestinationException("destination '" + dest.text() + "': " + e.getMessage(), e));
        }
        Compression compression = options.compression();
        return ExportedLayers.find(repo.path(), source.checksum(), compression, io).flatMap(known -> {
            long[] tarSize = {0};
            String[] diffId = {null};
            Flux<ByteBuf> layer = layerStream(commitTar(source), null, null, Compressors.of(compression), tarSize, diffId);
            return push.pushBlob(known.map(ExportResult.Layer::digest).orElse(null), layer).flatMap(pushed -> {
                boolean uploaded = pushed.outcome() == RegistryPush.Outcome.UPLOADED;
                ExportResult.Layer l = uploaded
                        ? new ExportResult.Layer(pushed.digest(), pushed.size(), diffId[0], tarSize[0])
                        : new ExportResult.Layer(pushed.digest(), pushed.size(), known.get().diffId(),
                                known.get().tarSize());
                Mono<Void> remember = uploaded
                        ? ExportedLayers.remember(repo.path(), source.checksum(), compression, l, io) : Mono.empty();
                return remember.then(push.pushBlob(config(source, l.diffId()))).flatMap(config -> {
                    byte[] manifest = ImageDocuments.manifest(config.digest(), config.size(), options.layerMediaType(),
                            List.of(l));
                    return push.pushManifest(MediaTypes.OCI_MANIFEST, manifest)
                            .map(digest -> new ExportResult(source.checksum(), dest.text(), push.image().reference(),
                                    digest, config.digest(), List.of(l)));
                });
            });
        });
    }

    /** Rebuilds an imported image's layers into {@code blobs}, several at once, and writes its original config. */
    private Mono<Built> imageLayersAndConfig(Path blobs, ResolvedImage image,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        return Flux.range(0, image.layers().size())
                .flatMapSequential(i -> {
                    String digest = image.layers().get(i).digest();
                    return layer(blobs, LayerTarRebuild.tar(repo, io, digest), image.diffId(i),
                            "rebuilt tar of layer " + digest, compressor);
                }, LAYER_CONCURRENCY, 1)
                .collectList()
                .flatMap(layers -> BlobWriter.toBlob(blobs, image.configBytes(), io)
                        .map(config -> new Built(layers, config)));
    }

    /**
     * One layer blob: the tar, its diff_id computed (or, when {@code expectedDiffId} is given,
     * verified: a mismatch fails with {@code DigestMismatchException} naming {@code subject}),
     * compressed on the parallel scheduler, written by {@link BlobWriter}.
     */
    private Mono<ExportResult.Layer> layer(Path blobs, Flux<ByteBuf> tar, String expectedDiffId, String subject,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        return Mono.defer(() -> {
            long[] tarSize = {0};
            String[] diffId = {expectedDiffId};
            return BlobWriter.toBlob(blobs, layerStream(tar, expectedDiffId, subject, compressor, tarSize, diffId), io)
                    .map(blob -> new ExportResult.Layer(blob.digest(), blob.size(), diffId[0], tarSize[0]));
        });
    }

    /**
     * The tar compressed, its diff_id computed into {@code diffId[0]} (or verified against
     * {@code expectedDiffId}) and its size counted into {@code tarSize[0]} as it passes; the
     * compression runs on the parallel scheduler.
     */
    private static Flux<ByteBuf> layerStream(Flux<ByteBuf> tar, String expectedDiffId, String subject,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor, long[] tarSize, String[] diffId) {
        return tar.doOnNext(chunk -> tarSize[0] += chunk.readableBytes())
                .transform(expectedDiffId == null ? Digests.sha256(d -> diffId[0] = d)
                        : Digests.verify(expectedDiffId, subject))
                .publishOn(Schedulers.parallel(), 8)
                .transform(compressor);
    }

    private Mono<ExportResult> layout(Path dir, ExportDestination dest, Job job, ExportOptions options,
            Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        Path blobs = dir.resolve("blobs").resolve("sha256");
        String tag = dest.tag() != null ? dest.tag() : job.defaultTag();
        return prepare(dir, dest)
                .then(Mono.defer(() -> job.blobs().apply(blobs, compressor)))
                .flatMap(built -> {
                    byte[] manifest = ImageDocuments.manifest(built.config().digest(), built.config().size(),
                            options.layerMediaType(), built.layers());
                    return BlobWriter.toBlob(blobs, manifest, io)
                            .flatMap(manifestBlob -> writeIndex(dir, dest, manifestBlob, tag))
                            .map(manifestBlob -> new ExportResult(job.commit(), dest.text(), tag,
                                    manifestBlob.digest(), built.config().digest(), built.layers()));
                });
    }

    /**
     * {@code docker save}'s layout in {@code dir}: {@code <diff_id hex>.tar} (uncompressed),
     * {@code <config hex>.json}, {@code manifest.json}.
     */
    private Mono<ExportResult> dockerArchive(Path dir, ExportDestination dest, Job job) {
        return job.blobs().apply(dir, Compressors.of(Compression.NONE)).flatMap(built -> Mono.fromCallable(() -> {
            List<String> layerNames = new ArrayList<>();
            for (ExportResult.Layer layer : built.layers()) {
                String layerName = layer.diffId().substring(7) + ".tar";
                Path target = dir.resolve(layerName);
                if (!Files.exists(target)) { // an image may hold the same layer twice: one file
                    Files.move(dir.resolve(layer.digest().substring(7)), target);
                }
                layerNames.add(layerName);
            }
            String configName = built.config().digest().substring(7) + ".json";
            Files.move(dir.resolve(built.config().digest().substring(7)), dir.resolve(configName));
            Files.write(dir.resolve("manifest.json"), ImageDocuments.dockerManifest(configName, dest.tag(), layerNames));
            return new ExportResult(job.commit(), dest.text(), dest.tag(), null, built.config().digest(),
                    built.layers());
        }).subscribeOn(io));
    }

    /** Creates the layout directory and its {@code oci-layout} file; refuses a non-layout directory. */
    private Mono<Void> prepare(Path dir, ExportDestination dest) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw new InvalidDestinationException("destination '" + dest.text() + "': " + dir + " is not a directory");
                }
                Path layoutFile = dir.resolve("oci-layout");
                if (Files.isDirectory(dir) && !Files.exists(layoutFile)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        if (s.findAny().isPresent()) {
                            throw new InvalidDestinationException("destination '" + dest.text() + "': " + dir
                                    + " is neither empty nor an OCI layout (no oci-layout file)");
                        }
                    }
                }
                Path index = dir.resolve("index.json");
                if (Files.exists(index)) {
                    ImageDocuments.parseIndex(Files.readAllBytes(index), "destination '" + dest.text() + "'");
                }
                Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
                if (!Files.exists(layoutFile)) {
                    Files.write(layoutFile, ImageDocuments.OCI_LAYOUT);
                }
            } catch (IOException e) {
                throw new InvalidDestinationException("destination '" + dest.text() + "': " + e, e);
            }
        }).subscribeOn(io);
    }

    private Mono<BlobWriter.Blob> writeIndex(Path dir, ExportDestination dest, BlobWriter.Blob manifest, String tag) {
        return Mono.fromCallable(() -> {
            Path index = dir.resolve("index.json");
            byte[] existing = Files.exists(index) ? Files.readAllBytes(index) : null;
            byte[] updated = ImageDocuments.index(existing, "destination '" + dest.text() + "'", manifest.digest(),
                    manifest.size(), tag);
            Path temp = dir.resolve(".index.json.ocitree-" + UUID.randomUUID());
            try {
                Files.write(temp, updated);
                Files.move(temp, index, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return manifest;
        }).subscribeOn(io);
    }
}
