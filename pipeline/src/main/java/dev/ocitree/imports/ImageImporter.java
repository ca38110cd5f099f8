package dev.ocitree.imports;

import dev.ocitree.exports.CommitRestore;
import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.CommitRequest;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Imports OCI images into a repository: every layer becomes a commit under
 * {@code ostree/container/blob/<digest>} (read, verified, decompressed, parsed and written as one
 * stream per layer, {@link ImportOptions#concurrency()} layers at once), and each layer tree is
 * merged, in layer order and as soon as it and the layers below it are done, with OCI whiteout
 * semantics ({@link LayerMerger}) into a commit under {@code ostree/container/image/<name>} carrying
 * ostree-ext's metadata (manifest digest, original manifest and config JSON). Layers already in the
 * repository are not read again.
 *
 * <p>The whole import is one {@link Transaction} (the repository's shared lock is held, so a
 * concurrent prune cannot remove objects written but not yet referenced); its file-system work,
 * the merge included, runs on {@link ImportOptions#write()}'s scheduler. Nothing blocks the
 * subscribing thread.
 */
public final class ImageImporter {

    private final OstreeRepository repo;

    /** @param repo the repository to import into (not closed here) */
    public ImageImporter(OstreeRepository repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    /**
     * Imports the image {@code source} names; the returned {@code Flux} reports progress and ends
     * with {@link ImportEvent.Done}. Nothing happens until it is subscribed; cancelling it cancels
     * the import (objects already written stay, unreferenced, for prune).
     */
    public Flux<ImportEvent> importImage(OciSource source, ImportOptions options) {
        return Flux.create(sink -> {
            Disposable run = run(source, options, sink::next).subscribe(result -> {
                sink.next(new ImportEvent.Done(result));
                sink.complete();
            }, sink::error);
            sink.onDispose(run);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private Mono<ImportResult> run(OciSource source, ImportOptions options, Consumer<ImportEvent> events) {
        Dirmeta implicit = Dirmeta.directory(0, 0, 0755, Xattrs.empty()).canonical(repo.mode());
        return repo.transaction(options.write(), tx -> source.resolve(options.platform())
                .doOnNext(image -> {
                    image.layers().forEach(d -> Compression.fromMediaType(d.mediaType()));
                    events.accept(new ImportEvent.Resolved(image));
                })
                .flatMap(image -> Mono.fromCallable(() -> ImageNames.canonical(image.source(), image.manifestDigest()))
                        .subscribeOn(tx.scheduler())
                        .flatMap(name -> new ImageStore(repo).claim(name, image.manifestDigest(), options.replace())
                                .thenReturn(name))
                        .flatMap(name -> tx.writeDirmeta(implicit).flatMap(implicitMeta -> {
                    SymlinkTargets symlinks = new SymlinkTargets(repo);
                    LayerMerger merger = new LayerMerger(
                            new MutableTree(implicitMeta, options.limits().maxDirectoryEntries()), symlinks, implicitMeta);
                    int concurrency = options.concurrency();
                    int prefetch = (int) Math.max(2, Math.min(16,
                            options.limits().maxBytesInFlight() / concurrency / (64 * 1024) / 4));
                    return Flux.range(0, image.layers().size())
                            .flatMapSequential(i -> new LayerImport(tx, source, image.layers().get(i),
                                    image.diffId(i), i, options, prefetch, implicitMeta, symlinks, events)
                                    .run(), concurrency, 1)
                            .concatMap(layer -> Mono.fromCallable(() -> {
                                merger.apply(layer.result().digest(), layer.tree(), layer.implicitDirs(),
                                        layer.hardlinks());
                                return layer;
                            }).subscribeOn(tx.scheduler()))
                            .collectList()
                            .flatMap(layers -> commit(tx, name, image, layers, merger.merged(), options, events));
                }))));
    }

    /**
     * Commits the merged tree and points the canonical {@code name}'s ref at it. The commit depends
     * only on the image: the name goes into the ref, never into the commit.
     */
    private Mono<ImportResult> commit(Transaction tx, String name, ResolvedImage image,
            List<LayerImport.Outcome> layers, MutableTree merged, ImportOptions options, Consumer<ImportEvent> events) {
        String imageRef = ContainerRefs.imageRef(name);
        List<String> skipped = new ArrayList<>();
        layers.forEach(l -> skipped.addAll(l.skipped()));
        return tx.writeTree(merged).flatMap(rootTree -> {
                    // Commit restore (issue 12, docs/export.md): an image that carries an exported commit
                    // (ocitree's or flatpak's labels) gets that commit back under its original checksum;
                    // checked here, before any commit or ref, so a refused image changes nothing
                    Optional<CommitRestore.Plan> restore = CommitRestore.plan(image, rootTree, merged.meta(),
                            options.branch());
                    CommitRequest request = CommitRequest.of(rootTree, merged.meta())
                            .withSubject("image " + image.manifestDigest())
                            .withTimestamp(created(image))
                            .orphan()
                            .withoutRefBinding()
                            .withMetadataString(ImportKeys.MANIFEST_DIGEST, image.manifestDigest())
                            .withMetadataString(ImportKeys.MANIFEST,
                                    new String(image.manifestBytes(), StandardCharsets.UTF_8))
                            .withMetadataString(ImportKeys.IMAGE_CONFIG, new String(image.configBytes(), StandardCharsets.UTF_8))
                            .withMetadataString(ImportKeys.IMPORTER_VERSION, ImportKeys.VERSION)
                            .withMetadata(ImportKeys.LAYERS, Variant.strings(layers.stream()
                                    .map(l -> l.result().digest()).toList()));
                    if (!skipped.isEmpty()) {
                        request = request.withMetadata(ImportKeys.SKIPPED, Variant.strings(skipped));
                    }
                    return tx.commit(request.withRef(imageRef))
                            .doOnNext(commit -> events.accept(new ImportEvent.Merged(commit)))
                            // the branch names the restored commit when there is one, else the merged one
                            .flatMap(commit -> restore.isPresent()
                                    ? CommitRestore.store(tx, restore.get())
                                            .doOnNext(r -> events.accept(new ImportEvent.Restored(r))).thenReturn(commit)
                                    : options.branch() == null ? Mono.just(commit)
                                            : tx.setRef(options.branch(), commit).thenReturn(commit));
                })
                .map(commit -> new ImportResult(name, imageRef, image.manifestDigest(), commit,
                        options.branch(), layers.stream().map(LayerImport.Outcome::result).toList(), skipped));
    }

    /**
     * The commit time: the manifest annotation {@code org.opencontainers.image.created}, else the
     * config's {@code created}, else 0 (so the same image always gives the same commit).
     */
    static long created(ResolvedImage image) {
        for (String value : new String[] {image.manifest().annotations().get("org.opencontainers.image.created"),
                image.config().created()}) {
            if (value != null) {
                try {
                    return OffsetDateTime.parse(value).toInstant().getEpochSecond();
                } catch (DateTimeParseException e) {
                    try {
                        return Instant.parse(value).getEpochSecond();
                    } catch (DateTimeParseException ignored) {
                        // not RFC 3339: try the next source
                    }
                }
            }
        }
        return 0;
    }
}
