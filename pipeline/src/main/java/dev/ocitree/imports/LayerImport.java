package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.OciSource;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.operators.compress.Decompressors;
import dev.ocitree.operators.digest.Digests;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.operators.tar.TarParser;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.CommitRequest;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.RefNotFoundException;
import dev.ocitree.ostree.repo.StoredEntry;
import dev.ocitree.ostree.repo.Transaction;
import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.tarsplit.TarSplitRecorder;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * One layer, as one streaming pipeline: blob → verify blob digest → decompress (by media type) →
 * verify diff_id → parse tar → the user's stage ({@link ImportOptions#tarStage()}) → the write stage
 * ({@link Transaction#writeObjects()}: objects hashed and written on the transaction's scheduler) →
 * {@link LayerTree} in archive order → dirtrees → layer commit under {@link ContainerRefs#blobRef}.
 * When that ref already names a commit of the same diff_id, the blob is not read at all and the
 * commit's tree is reused (loaded lazily by the merge, which runs on the transaction's scheduler).
 *
 * <p>Ownership: blob chunks pass to the decompressor, which releases them; decompressed chunks pass
 * to the tar parser; the write stage owns and releases every content slice. On error or
 * cancellation the discard hooks release what is queued. Nothing here blocks: it may be subscribed
 * from any thread.
 */
final class LayerImport {

    /** What the merge needs of a layer. */
    record Outcome(LayerResult result, MutableTree tree, Set<String> implicitDirs, Map<String, String> hardlinks,
            List<String> skipped) {
    }

    private static final long PROGRESS_STEP = 1 << 20;

    private final Transaction tx;
    private final OciSource source;
    private final Descriptor layer;
    private final String diffId;
    private final int index;
    private final ImportOptions options;
    private final int prefetch;
    private final Checksum implicitMeta;
    private final SymlinkTargets symlinks;
    private final Consumer<ImportEvent> events;

    LayerImport(Transaction tx, OciSource source, Descriptor layer, String diffId, int index, ImportOptions options,
            int prefetch, Checksum implicitMeta, SymlinkTargets symlinks, Consumer<ImportEvent> events) {
        this.tx = tx;
        this.source = source;
        this.layer = layer;
        this.diffId = diffId;
        this.index = index;
        this.options = options;
        this.prefetch = prefetch;
        this.implicitMeta = implicitMeta;
        this.symlinks = symlinks;
        this.events = events;
    }

    Mono<Outcome> run() {
        OstreeRepository repo = tx.repository();
        String ref = ContainerRefs.blobRef(layer.digest());
        return repo.resolveRef(ref)
                .onErrorResume(RefNotFoundException.class, e -> Mono.empty())
                .flatMap(commit -> repo.loadCommit(commit).flatMap(c -> reuse(commit, c)))
                .switchIfEmpty(Mono.defer(this::importBlob))
                .doOnNext(o -> {
                    o.skipped().forEach(s -> events.accept(new ImportEvent.Skipped(layer.digest(), s)));
                    events.accept(new ImportEvent.LayerDone(index, o.result()));
                });
    }

    /** Reuses a stored layer commit of the same diff_id (a commit of another diff_id is re-imported). */
    private Mono<Outcome> reuse(Checksum checksum, Commit commit) {
        Variant stored = commit.metadata().get(ImportKeys.LAYER_DIFF_ID);
        // a commit without a tar record (imported by an older ocitree) is imported again, to get one
        if (stored == null || !diffId.equals(stored.asString())
                || commit.metadata().get(TarSplitRecorder.METADATA_KEY) == null) {
            return Mono.empty();
        }
        MutableTree tree = MutableTree.load(commit.rootTree(), commit.rootMeta(), tx.repository()::readDirtree);
        Variant implicit = commit.metadata().get(ImportKeys.IMPLICIT_DIRS);
        Variant links = commit.metadata().get(ImportKeys.HARDLINKS);
        Variant skipped = commit.metadata().get(ImportKeys.SKIPPED);
        Map<String, String> hardlinks = new TreeMap<>();
        if (links != null) {
            links.asDict().forEach((k, v) -> hardlinks.put(k, v.asString()));
        }
        return Mono.just(new Outcome(new LayerResult(layer.digest(), diffId, checksum, true, 0), tree,
                implicit == null ? Set.of() : new TreeSet<>(implicit.asStrings()), hardlinks,
                skipped == null ? List.of() : skipped.asStrings()));
    }

    private Mono<Outcome> importBlob() {
        Compression compression = Compression.fromMediaType(layer.mediaType());
        LayerTree tree = new LayerTree(layer.digest(), implicitMeta, options.limits().maxDirectoryEntries());
        AtomicLong read = new AtomicLong();
        AtomicLong reported = new AtomicLong();
        TarSplitRecorder framing = new TarSplitRecorder();
        long[] stored = {0, 0}; // bodies stored, TarSplitRecorder.sequence over them
        events.accept(new ImportEvent.LayerStarted(index, layer.digest(), layer.size()));
        return source.blob(layer)
                .doOnNext(chunk -> {
                    long total = read.addAndGet(chunk.readableBytes());
                    if (total - reported.get() >= PROGRESS_STEP || total == layer.size()) {
                        reported.set(total);
                        events.accept(new ImportEvent.LayerProgress(index, layer.digest(), total, layer.size()));
                    }
                })
                // hashed as it is read (on the source's thread), not on the thread that inflates
                .transform(Digests.verify(layer.digest(), "layer blob " + layer.digest()))
                .limitRate(prefetch)
                .transform(Decompressors.of(compression, options.limits(), "layer " + layer.digest()))
                .transform(Digests.verify(diffId, "diff_id of layer " + layer.digest()))
                .transform(TarParser.parse(options.limits(), framing))
                .transform(options.tarStage())
                .transform(tx.writeObjects())
                .doOnNext(entry -> record(tree, entry, stored))
                .then(Mono.defer(() -> commit(tree, read.get(), framing, stored)))
                .doFinally(signal -> framing.discard())
                .onErrorMap(e -> !(e instanceof LayerFormatException) && !String.valueOf(e.getMessage()).contains(layer.digest()),
                        e -> new LayerImportException(layer.digest(), e))
                .doOnDiscard(TarEvent.Content.class, TarEvent.Content::release)
                .doOnDiscard(ByteBuf.class, ByteBuf::release);
    }

    /** Adds a stored entry to the layer tree (called in archive order). */
    private void record(LayerTree tree, StoredEntry stored, long[] bodies) {
        TarEntry e = stored.entry();
        switch (e.type()) {
            case REGULAR -> {
                if (e.size() > 0) {
                    bodies[0]++;
                    bodies[1] = TarSplitRecorder.sequence(bodies[1], e.path(), e.size());
                }
                symlinks.regular(stored.object());
                tree.file(e.path(), stored.object());
            }
            case SYMLINK -> {
                symlinks.symlink(stored.object(), e.linkTarget());
                tree.file(e.path(), stored.object());
            }
            case DIRECTORY -> tree.directory(e.path(), stored.object());
            case HARDLINK -> tree.hardlink(e.path(), e.linkTarget());
            case CHAR_DEVICE, BLOCK_DEVICE -> tree.skip(e.path(),
                    (e.type() == TarEntryType.CHAR_DEVICE ? "char-device" : "block-device")
                            + "(" + e.devMajor() + "," + e.devMinor() + ")");
            case FIFO -> tree.skip(e.path(), "fifo");
        }
    }

    private Mono<Outcome> commit(LayerTree tree, long bytesRead, TarSplitRecorder framing, long[] bodies) {
        MutableTree root = tree.root();
        String unavailable = TarSplitCheck.problem(framing, bodies[0], bodies[1], tree.firstReplaced());
        byte[] record = framing.finish();
        String ref = ContainerRefs.blobRef(layer.digest());
        Map<String, Variant> links = new LinkedHashMap<>();
        tree.externalHardlinks().forEach((k, v) -> links.put(k, Variant.string(v)));
        return tx.writeTree(root).flatMap(rootTree -> {
            CommitRequest request = CommitRequest.of(rootTree, root.meta())
                    .withSubject("layer " + layer.digest())
                    .withTimestamp(0)
                    .orphan()
                    .withoutRefBinding()
                    .withMetadataString(ImportKeys.LAYER_DIGEST, layer.digest())
                    .withMetadataString(ImportKeys.LAYER_DIFF_ID, diffId)
                    .withMetadataString(ImportKeys.LAYER_MEDIA_TYPE, layer.mediaType())
                    .withMetadataString(ImportKeys.IMPORTER_VERSION, ImportKeys.VERSION)
                    .withMetadata(ImportKeys.IMPLICIT_DIRS, Variant.strings(new ArrayList<>(tree.implicitDirs())))
                    .withMetadata(TarSplitRecorder.METADATA_KEY, Variant.bytes(record));
            if (unavailable != null) {
                request = request.withMetadataString(TarSplitRecorder.UNAVAILABLE_KEY, unavailable);
            }
            if (!links.isEmpty()) {
                request = request.withMetadata(ImportKeys.HARDLINKS, Variant.dict(links));
            }
            if (!tree.skipped().isEmpty()) {
                request = request.withMetadata(ImportKeys.SKIPPED, Variant.strings(tree.skipped()));
            }
            return tx.commit(request.withRef(ref));
        }).map(commit -> new Outcome(new LayerResult(layer.digest(), diffId, commit, false, bytesRead), root,
                tree.implicitDirs(), tree.externalHardlinks(), tree.skipped()));
    }
}
