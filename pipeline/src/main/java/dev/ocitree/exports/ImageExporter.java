package dev.ocitree.exports;

import dev.ocitree.operators.compress.Compressors;
import dev.ocitree.operators.digest.Digests;
import dev.ocitree.operators.tar.TarWriter;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.DetachedMetadata;
import dev.ocitree.ostree.repo.OstreeRepository;
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
import java.util.function.Function;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Exports a commit as a one-layer OCI image into an OCI layout ({@code oci:DIR[:TAG]}) or an OCI
 * archive ({@code oci-archive:FILE[:TAG]}); docs/export.md.
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
 * (they are complete and named by their digest).
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
     */
    public Mono<ExportResult> export(String rev, String destination, ExportOptions options) {
        Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor = Compressors.of(options.compression());
        return Mono.defer(() -> {
            ExportDestination dest = ExportDestination.parse(destination);
            String ref = Checksum.isValidHex(rev) ? null : rev;
            return repo.resolveCommit(rev).flatMap(checksum -> Mono.zip(repo.loadCommit(checksum),
                            repo.loadDetachedMetadata(checksum).map(Optional::of).defaultIfEmpty(Optional.empty()))
                    .flatMap(t -> dest.isArchive()
                            ? archive(dest, checksum, t.getT1(), t.getT2().orElse(null), ref, options, compressor)
                            : layout(dest.path(), dest, checksum, t.getT1(), t.getT2().orElse(null), ref, options,
                                    compressor)));
        });
    }

    private Mono<ExportResult> archive(ExportDestination dest, Checksum checksum, Commit commit,
            DetachedMetadata detached, String ref, ExportOptions options, Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        Path file = dest.path().toAbsolutePath();
        return Mono.usingWhen(
                Mono.fromCallable(() -> file.resolveSibling("." + file.getFileName() + ".ocitree-" + UUID.randomUUID()))
                        .subscribeOn(io),
                dir -> layout(dir, dest, checksum, commit, detached, ref, options, compressor)
                        .flatMap(r -> LayoutArchive.write(dir, file, commit.timestampSeconds(), io).thenReturn(r)),
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

    private Mono<ExportResult> layout(Path dir, ExportDestination dest, Checksum checksum, Commit commit,
            DetachedMetadata detached, String ref, ExportOptions options, Function<Flux<ByteBuf>, Flux<ByteBuf>> compressor) {
        Path blobs = dir.resolve("blobs").resolve("sha256");
        String tag = dest.tag() != null ? dest.tag() : CommitLabels.isFlatpakRef(ref) ? ref : "latest";
        long[] tarSize = {0};
        String[] diffId = {null};
        Flux<ByteBuf> layer = CommitTar.members(repo, checksum, commit.timestampSeconds())
                .transform(TarWriter.write())
                .doOnNext(chunk -> tarSize[0] += chunk.readableBytes())
                .transform(Digests.sha256(d -> diffId[0] = d))
                .publishOn(Schedulers.parallel(), 8)
                .transform(compressor);
        return prepare(dir, dest)
                .then(BlobWriter.toBlob(blobs, layer, io))
                .flatMap(layerBlob -> {
                    Map<String, String> labels = CommitLabels.of(checksum, commit, detached, ref);
                    byte[] config = ImageDocuments.config(commit.timestampSeconds(), ImageDocuments.architecture(ref),
                            diffId[0], labels);
                    return BlobWriter.toBlob(blobs, config, io).flatMap(configBlob -> {
                        byte[] manifest = ImageDocuments.manifest(configBlob.digest(), configBlob.size(),
                                options.layerMediaType(), layerBlob.digest(), layerBlob.size());
                        return BlobWriter.toBlob(blobs, manifest, io)
                                .flatMap(manifestBlob -> writeIndex(dir, dest, manifestBlob, tag))
                                .map(manifestBlob -> new ExportResult(checksum, dest.text(), tag, manifestBlob.digest(),
                                        configBlob.digest(), layerBlob.digest(), diffId[0], layerBlob.size(),
                                        tarSize[0]));
                    });
                });
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
