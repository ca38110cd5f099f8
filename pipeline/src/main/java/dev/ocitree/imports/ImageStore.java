package dev.ocitree.imports;

import dev.ocitree.ostree.repo.InvalidRefException;
import dev.ocitree.oci.ImageDocuments;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.PrunePolicy;
import dev.ocitree.ostree.repo.PruneReport;
import dev.ocitree.ostree.repo.RefNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The imported images and layers of a repository, found through their refs
 * ({@link ContainerRefs}): list them, remove an image, prune layers no image uses and the objects
 * only they held.
 */
public final class ImageStore {

    /** One imported image. {@code size} is the sum of its layers' compressed sizes. */
    public record ImageInfo(String name, String ref, String manifestDigest, Checksum commit, List<String> layers,
            long size) {
        public ImageInfo {
            layers = List.copyOf(layers);
        }
    }

    /** One layer commit, and how many imported images use it. */
    public record LayerInfo(String digest, String ref, Checksum commit, int usedBy) {
    }

    /**
     * What {@link #prune()} removed.
     *
     * @param layerRefsRemoved blob refs no image referenced
     * @param objects          the repository prune that followed (objects and staging areas freed)
     * @param unreadableImages image refs whose layers could not be read (commit missing, or no
     *                         manifest or layer list in its metadata): while there is one, no layer
     *                         ref is removed, since it may be one of that image's
     */
    public record PruneResult(List<String> layerRefsRemoved, PruneReport objects, List<String> unreadableImages) {
        public PruneResult {
            layerRefsRemoved = List.copyOf(layerRefsRemoved);
            unreadableImages = List.copyOf(unreadableImages);
        }
    }

    /**
     * An imported image as it was imported: its merged commit, the commit's timestamp, and the
     * original manifest and config bytes kept in the commit's metadata ({@code ostree.manifest},
     * {@code ostree.container.image-config}), the config checked against the manifest's digest.
     */
    public record StoredImage(ImageInfo info, long timestamp, ResolvedImage image) {
    }

    private final OstreeRepository repo;

    public ImageStore(OstreeRepository repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    /** Every image ref whose name decodes (refs written by other tools with another scheme are left out), by name. */
    public Flux<ImageInfo> images() {
        return repo.refs(ContainerRefs.IMAGE_PREFIX)
                .filter(ref -> decodes(ref, ContainerRefs.IMAGE_PREFIX))
                .concatMap(ref -> repo.resolveRef(ref).flatMap(commit -> repo.loadCommit(commit)
                        .map(c -> image(ref, commit, c))));
    }

    /** Every layer ref, with the number of images using it. */
    public Flux<LayerInfo> layers() {
        return images().collectList().flatMapMany(images -> repo.refs(ContainerRefs.BLOB_PREFIX)
                .filter(ref -> decodes(ref, ContainerRefs.BLOB_PREFIX))
                .concatMap(ref -> repo.resolveRef(ref).map(commit -> {
                    String digest = ContainerRefs.blobDigest(ref);
                    int users = (int) images.stream().filter(i -> i.layers().contains(digest)).count();
                    return new LayerInfo(digest, ref, commit, users);
                })));
    }

    /**
     * Removes an image's ref (its layers stay until {@link #prune()}) and returns the canonical name
     * removed. {@code name} is a name as {@link #images()} lists it, or any spelling of it
     * ({@link #find}); {@link NoSuchImageException} if none matches.
     */
    public Mono<String> remove(String name) {
        return find(name).flatMap(image -> repo.deleteRef(image.ref()).thenReturn(image.name()));
    }

    /**
     * The image {@code name} names: its canonical name as listed, or any spelling of it (a relative
     * path, {@code docker://busybox}); an untagged local name matches the one image imported from
     * there without a tag. {@link NoSuchImageException} when none or several match.
     */
    public Mono<ImageInfo> find(String name) {
        return Mono.fromCallable(() -> ImageNames.canonical(name, null)).subscribeOn(repo.scheduler())
                .flatMap(canonical -> images().filter(i -> i.name().equals(name) || i.name().equals(canonical)
                        || ImageNames.pinnedByDigest(i.name(), canonical)).collectList().map(found -> {
                            if (found.size() == 1) {
                                return found.get(0);
                            }
                            if (found.isEmpty()) {
                                throw new NoSuchImageException("no image named '" + name + "' in " + repo.path()
                                        + " ('ocitree images' lists the names)");
                            }
                            throw new NoSuchImageException("'" + name + "' names " + found.size()
                                    + " images; give one of: " + String.join(", ",
                                            found.stream().map(ImageInfo::name).toList()));
                        }));
    }

    /**
     * The image {@code name} names ({@link #find}) with its original manifest and config;
     * {@link ImageRecordException} when its commit does not keep them.
     */
    public Mono<StoredImage> original(String name) {
        return find(name).flatMap(info -> repo.loadCommit(info.commit()).map(c -> {
            String where = "image '" + info.name() + "' (commit " + info.commit().hex() + ")";
            Variant manifest = c.metadata().get(ImportKeys.MANIFEST);
            Variant config = c.metadata().get(ImportKeys.IMAGE_CONFIG);
            if (manifest == null || config == null || !"s".equals(manifest.type()) || !"s".equals(config.type())) {
                throw new ImageRecordException(where + ": no original manifest and config in its metadata ("
                        + ImportKeys.MANIFEST + ", " + ImportKeys.IMAGE_CONFIG + ")");
            }
            ResolvedImage image = ImageDocuments.resolved(info.name(), info.manifestDigest(),
                    manifest.asString().getBytes(StandardCharsets.UTF_8), null,
                    where + " metadata " + ImportKeys.MANIFEST,
                    config.asString().getBytes(StandardCharsets.UTF_8), where + " metadata " + ImportKeys.IMAGE_CONFIG);
            if (image.layers().size() != image.config().diffIds().size()) {
                throw new ImageRecordException(where + ": the manifest has " + image.layers().size()
                        + " layers, the config " + image.config().diffIds().size() + " diff_ids");
            }
            return new StoredImage(info, c.timestampSeconds(), image);
        }));
    }

    /**
     * Checks that {@code name} is free or already names the image with {@code manifestDigest}
     * (re-importing the same image); otherwise {@link ImageNameTakenException}, unless
     * {@code replace}.
     */
    Mono<Void> claim(String name, String manifestDigest, boolean replace) {
        if (replace) {
            return Mono.empty();
        }
        String ref = ContainerRefs.imageRef(name);
        return repo.refs(ref).filter(ref::equals).next()
                .flatMap(r -> repo.resolveRef(r).flatMap(commit -> repo.loadCommit(commit)
                        .map(c -> image(r, commit, c))))
                .flatMap(existing -> manifestDigest.equals(existing.manifestDigest()) ? Mono.<Void>empty()
                        : Mono.error(new ImageNameTakenException("image name '" + name + "' already names "
                                + (existing.manifestDigest() == null ? "commit " + existing.commit().hex()
                                        : "image " + existing.manifestDigest())
                                + ", not this source's " + manifestDigest
                                + ": remove it first ('ocitree images rm') or import with --replace to move the name")));
    }

    /**
     * Deletes the layer refs no image uses, then every object no ref reaches any more (the layer
     * commits and the objects only they held), and the staging areas of dead processes.
     *
     * <p>Every ref under {@code ostree/container/image/} counts as a user of the layers its commit
     * records, whoever wrote it (ocitree, ostree-ext, by hand): the layers of the manifest in
     * {@code ostree.manifest}, else ocitree's {@code ocitree.layers}. The decision and the deletion
     * run under the repository's exclusive lock; an import holds the shared lock from before its
     * first layer ref until after its image ref, so a concurrent prune waits for it (or fails with
     * {@code RepoLockedException}) and never sees its layer refs without their image.
     */
    public Mono<PruneResult> prune() {
        return Mono.defer(() -> {
            List<String> unreadable = new ArrayList<>();
            return repo.prune(unusedLayers(unreadable))
                    .map(report -> new PruneResult(report.refsDeleted(), report, unreadable));
        });
    }

    /** The layer refs no image ref uses; none while an image's layers cannot be read (listed in {@code unreadable}). */
    private static PrunePolicy unusedLayers(List<String> unreadable) {
        return (refs, commits) -> {
            Set<String> used = new HashSet<>();
            refs.forEach((ref, commit) -> {
                if (ref.startsWith(ContainerRefs.IMAGE_PREFIX)) {
                    Commit c = commits.apply(commit);
                    List<String> layers = c == null ? null : ImageLayers.of(c, commit);
                    if (layers == null) {
                        unreadable.add(ref);
                    } else {
                        used.addAll(layers);
                    }
                }
            });
            if (!unreadable.isEmpty()) {
                return List.of();
            }
            return refs.keySet().stream()
                    .filter(ref -> decodes(ref, ContainerRefs.BLOB_PREFIX)
                            && !used.contains(ContainerRefs.blobDigest(ref)))
                    .toList();
        };
    }

    private static boolean decodes(String ref, String prefix) {
        try {
            ContainerRefs.decode(ref, prefix);
            return true;
        } catch (InvalidRefException e) {
            return false;
        }
    }

    private static ImageInfo image(String ref, Checksum commit, Commit c) {
        String name = ContainerRefs.imageName(ref);
        Variant digest = c.metadata().get(ImportKeys.MANIFEST_DIGEST);
        List<String> layers = ImageLayers.of(c, commit);
        return new ImageInfo(name, ref, digest == null ? null : digest.asString(), commit,
                layers == null ? List.of() : layers, ImageLayers.size(c, commit));
    }
}
