package dev.ocitree.exports;

import dev.ocitree.imports.ContainerRefs;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.RefNotFoundException;
import dev.ocitree.tarsplit.EntryPaths;
import dev.ocitree.tarsplit.TarSplitException;
import dev.ocitree.tarsplit.TarSplitParts;
import dev.ocitree.tarsplit.TarSplitRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An imported layer's original tar, rebuilt from its layer commit and the tar record kept at
 * import ({@link TarSplitRecorder}): framing bytes as recorded, each body streamed from the content
 * object at its path in the layer commit (re-hashed as it streams, its size checked). The caller
 * verifies the diff_id. Path lookups (dirtree reads) run on {@code io}, one at a time.
 *
 * <p>Errors name the layer: {@link TarSplitException} for a layer without a record, one that
 * cannot round trip (reason recorded at import), a corrupt record, or a body missing or of another
 * size in the commit (a missing or corrupt content object included).
 */
final class LayerTarRebuild {

    private LayerTarRebuild() {
    }

    /** The uncompressed tar of layer {@code digest}. */
    static Flux<ByteBuf> tar(OstreeRepository repo, Scheduler io, String digest) {
        return repo.resolveRef(ContainerRefs.blobRef(digest))
                .onErrorMap(RefNotFoundException.class,
                        e -> new TarSplitException(digest, "no layer commit (" + e.getMessage() + ")", e))
                .flatMap(repo::loadCommit)
                .flatMapMany(commit -> parts(repo, io, digest, commit))
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    private static Flux<ByteBuf> parts(OstreeRepository repo, Scheduler io, String digest, Commit commit) {
        Variant unavailable = commit.metadata().get(TarSplitRecorder.UNAVAILABLE_KEY);
        if (unavailable != null) {
            return Flux.error(new TarSplitException(digest, "cannot be rebuilt byte for byte: "
                    + unavailable.asString()));
        }
        Variant record = commit.metadata().get(TarSplitRecorder.METADATA_KEY);
        if (record == null) {
            return Flux.error(new TarSplitException(digest, "its layer commit has no tar record (imported by an"
                    + " older ocitree): import the image again to record it"));
        }
        MutableTree tree = MutableTree.load(commit.rootTree(), commit.rootMeta(), repo::readDirtree);
        return TarSplitParts.of(record.asBytes(), digest).concatMap(part -> {
            if (part instanceof TarSplitParts.Raw raw) {
                // hide(): not a scalar callable, which concatMap would evaluate eagerly and discard again on
                // cancel after emitting it (a double release); the buffer exists only once subscribed
                return Mono.fromCallable(() -> Unpooled.wrappedBuffer(raw.bytes())).hide();
            }
            TarSplitParts.Body body = (TarSplitParts.Body) part;
            return Mono.fromCallable(() -> lookup(tree, EntryPaths.components(body.path()), digest, body.path()))
                    .subscribeOn(io)
                    .flatMapMany(object -> sized(repo.readFileContent(object), body, digest))
                    .onErrorMap(e -> !(e instanceof TarSplitException),
                            e -> new TarSplitException(digest, "content of '" + body.path() + "': " + e.getMessage(), e));
        }, 2);
    }

    private static Checksum lookup(MutableTree root, List<String> path, String digest, String name) {
        MutableTree dir = root;
        for (int i = 0; i < path.size() - 1 && dir != null; i++) {
            dir = dir.dir(path.get(i));
        }
        Checksum object = dir == null || path.isEmpty() ? null : dir.files().get(path.get(path.size() - 1));
        if (object == null) {
            throw new TarSplitException(digest, "'" + name + "' is not a file of the layer commit");
        }
        return object;
    }

    /** {@code content}, failing when it is not exactly {@code body.size()} bytes. */
    private static Flux<ByteBuf> sized(Flux<ByteBuf> content, TarSplitParts.Body body, String digest) {
        return Flux.defer(() -> {
            long[] seen = {0};
            return content.<ByteBuf>handle((chunk, sink) -> {
                seen[0] += chunk.readableBytes();
                if (seen[0] > body.size()) {
                    chunk.release();
                    sink.error(mismatch(digest, body, seen[0]));
                } else {
                    sink.next(chunk);
                }
            }).concatWith(Mono.defer(() -> seen[0] == body.size() ? Mono.empty()
                    : Mono.error(mismatch(digest, body, seen[0]))));
        });
    }

    private static TarSplitException mismatch(String digest, TarSplitParts.Body body, long seen) {
        return new TarSplitException(digest, "'" + body.path() + "' has " + (seen > body.size() ? "more than " : "")
                + seen + " bytes in the layer commit, the tar had " + body.size());
    }
}
