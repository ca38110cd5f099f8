package dev.ocitree.exports;

import dev.ocitree.operators.compress.Compression;
import dev.ocitree.operators.compress.Compressors;
import dev.ocitree.operators.digest.Digests;
import dev.ocitree.operators.tar.TarWriter;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.oci.InvalidSourceException;
import dev.ocitree.oci.MediaTypes;
import dev.ocitree.registry.RegistryPush;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Exports a commit as a one-layer OCI image into an OCI layout ({@code oci:DIR[:TAG]}), an OCI
 * archive ({@code oci-archive:FILE[:TAG]}) or a {@code docker save} archive
 * ({@code docker-archive:FILE[:NAME:TAG]}, layer uncompressed), or pushes it to a registry
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
 * (they are complete and named by their digest). The layer's digest, diff_id and sizes are
 * remembered in the repository ({@link ExportedLayers}), so a later push of the same commit can ask
 * the registry for the layer before compressing it.
 */
public final class ImageExporter {

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
        String ref = Checksum.isValidHex(rev) ? null : rev;
        // the repository's shared lock: a concurrent prune cannot remove objects while they are read
        return repo.transaction(repo.resolveCommit(rev).flatMap(checksum -> Mono.zip(repo.loadCommit(checksum),
                        repo.loadDetachedMetadata(checksum).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .map(t -> new Source(checksum, t.getT1(), t.getT2().orElse(null), ref)))
                .flatMap(source -> {
                    if (dest.isRegistry()) {
                        return push(dest, source, effective);
                    }
                    if (dest.isOciArchive() || dest.isDockerArchive()) {
                        return packed(dest, source, effective);
                    }
                    return layout(dest.path(), dest, source, effective);
                }));
    }

    /** The commit being exported. */
    private record Source(Checksum checksum, Commit commit, DetachedMetadata detached, String ref) {
    }

    /** The layer and config blobs, written. */
    private record Built(BlobWriter.Blob layer, BlobWriter.Blob config, String diffId, long tarSize) {
    }

    /** {@code oci-archive:} or {@code docker-archive:}: written to a hidden directory next to the file, packed, removed. */
    private Mono<ExportResult> packed(ExportDestination dest, Source source, ExportOptions options) {
        Path file = dest.path().toAbsolutePath();
        return Mono.usingWhen(
                Mono.fromCallable(() -> file.resolveSibling("." + file.getFileName() + ".ocitree-" + UUID.randomUUID()))
                        .subscribeOn(io),
                dir -> (dest.isDockerArchive() ? dockerArchive(dir, dest, source) : layout(dir, dest, source, options))
                        .flatMap(r -> LayoutArchive.write(dir, file, source.commit().timestampSeconds(), io).thenReturn(r)),
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

    /**
     * The commit's tree as a tar, compressed: {@code tarSize} and {@code diffId} are filled in as
     * the uncompressed bytes pass (complete when the stream is).
     */
    private Flux<ByteBuf> layerStream(Source source, Compression compression, long[] tarSize, String[] diffId) {
        return CommitTar.members(repo, source.checksum(), source.commit().timestampSeconds())
                .transform(TarWriter.write())
                .doOnNext(chunk -> tarSize[0] += chunk.readableBytes())
                .transform(Digests.sha256(d -> diffId[0] = d))
                .publishOn(Schedulers.parallel(), 8)
                .transform(Compressors.of(compression));
    }

    /** The config of the export of {@code source} whose layer tar hashes to {@code diffId}. */
    private static byte[] config(Source source, String diffId) {
        Map<String, String> labels = CommitLabels.of(source.checksum(), source.commit(), source.detached(), source.ref());
        return ImageDocuments.config(source.commit().timestampSeconds(), ImageDocuments.architecture(source.ref()),
                diffId, labels);
    }

    /** Streams the layer into {@code blobs} and writes the config next to it. */
    private Mono<Built> layerAndConfig(Path blobs, Source source, Compression compression) {
        return Mono.defer(() -> {
            long[] tarSize = {0};
            String[] diffId = {null};
            return BlobWriter.toBlob(blobs, layerStream(source, compression, tarSize, diffId), io)
                    .flatMap(layerBlob -> ExportedLayers.remember(repo.path(), source.checksum(), compression,
                                    new ExportedLayers.Layer(layerBlob.digest(), layerBlob.size(), diffId[0], tarSize[0]), io)
                            .then(BlobWriter.toBlob(blobs, config(source, diffId[0]), io))
                            .map(configBlob -> new Built(layerBlob, configBlob, diffId[0], tarSize[0])));
        });
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
            Flux<ByteBuf> layer = layerStream(source, compression, tarSize, diffId);
            return push.pushBlob(known.map(ExportedLayers.Layer::digest).orElse(null), layer).flatMap(pushed -> {
                ExportedLayers.Layer l = pushed.outcome() == RegistryPush.Outcome.UPLOADED
                        ? new ExportedLayers.Layer(pushed.digest(), pushed.size(), diffId[0], tarSize[0])
                        : new ExportedLayers.Layer(pushed.digest(), pushed.size(), known.get().diffId(),
                                known.get().tarSize());
                Mono<Void> remember = pushed.outcome() == RegistryPush.Outcome.UPLOADED
                        ? ExportedLayers.remember(repo.path(), source.checksum(), compression, l, io) : Mono.empty();
                return remember.then(push.pushBlob(config(source, l.diffId()))).flatMap(config -> {
                    byte[] manifest = ImageDocuments.manifest(config.digest(), config.size(), options.layerMediaType(),
                            l.digest(), l.size());
                    return push.pushManifest(MediaTypes.OCI_MANIFEST, manifest)
                            .map(digest -> new ExportResult(source.checksum(), dest.text(), push.image().reference(),
                                    digest, config.digest(), l.digest(), l.diffId(), l.size(), l.tarSize()));
                });
            });
        });
    }

    private Mono<ExportResult> layout(Path dir, ExportDestination dest, Source source, ExportOptions options) {
        Path blobs = dir.resolve("blobs").resolve("sha256");
        String ref = source.ref();
        String tag = dest.tag() != null ? dest.tag() : CommitLabels.isFlatpakRef(ref) ? ref : "latest";
        return prepare(dir, dest)
                .then(layerAndConfig(blobs, source, options.compression()))
                .flatMap(built -> {
                    byte[] manifest = ImageDocuments.manifest(built.config().digest(), built.config().size(),
                            options.layerMediaType(), built.layer().digest(), built.layer().size());
                    return BlobWriter.toBlob(blobs, manifest, io)
                            .flatMap(manifestBlob -> writeIndex(dir, dest, manifestBlob, tag))
                            .map(manifestBlob -> new ExportResult(source.checksum(), dest.text(), tag,
                                    manifestBlob.digest(), built.config().digest(), built.layer().digest(),
                                    built.diffId(), built.layer().size(), built.tarSize()));
                });
    }

    /**
     * {@code docker save}'s layout in {@code dir}: {@code <diff_id hex>.tar} (uncompressed),
     * {@code <config hex>.json}, {@code manifest.json}.
     */
    private Mono<ExportResult> dockerArchive(Path dir, ExportDestination dest, Source source) {
        return layerAndConfig(dir, source, Compression.NONE).flatMap(built -> Mono.fromCallable(() -> {
            String layerName = built.diffId().substring(7) + ".tar";
            String configName = built.config().digest().substring(7) + ".json";
            Files.move(dir.resolve(built.layer().digest().substring(7)), dir.resolve(layerName));
            Files.move(dir.resolve(built.config().digest().substring(7)), dir.resolve(configName));
            Files.write(dir.resolve("manifest.json"), ImageDocuments.dockerManifest(configName, dest.tag(), layerName));
            return new ExportResult(source.checksum(), dest.text(), dest.tag(), null, built.config().digest(),
                    built.layer().digest(), built.diffId(), built.layer().size(), built.tarSize());
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
