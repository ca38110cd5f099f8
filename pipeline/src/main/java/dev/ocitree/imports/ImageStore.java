package dev.ocitree.imports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.ImageManifest;
import dev.ocitree.oci.OciFormatException;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.PruneReport;
import dev.ocitree.ostree.repo.RefNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
     * @param layerRefsRemoved    blob refs no image referenced
     * @param objects             the repository prune that followed
     * @param stagingAreasRemoved staging directories (left by killed or failed imports) removed
     * @param stagingBytesFreed   the bytes of the files they held
     */
    public record PruneResult(List<String> layerRefsRemoved, PruneReport objects, int stagingAreasRemoved,
            long stagingBytesFreed) {
        public PruneResult {
            layerRefsRemoved = List.copyOf(layerRefsRemoved);
        }
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
     * commits and the objects only they held) and the staging areas imports left behind.
     */
    public Mono<PruneResult> prune() {
        return images().flatMapIterable(ImageInfo::layers).collect(HashSet<String>::new, Set::add)
                .flatMap(used -> repo.refs(ContainerRefs.BLOB_PREFIX)
                        .filter(ref -> decodes(ref, ContainerRefs.BLOB_PREFIX)
                                && !used.contains(ContainerRefs.blobDigest(ref)))
                        .concatMap(ref -> repo.deleteRef(ref).thenReturn(ref))
                        .collectList())
                .flatMap(removed -> staging().flatMap(before -> repo.prune().flatMap(report -> staging().map(after -> {
                    before.keySet().removeAll(after.keySet());
                    return new PruneResult(removed, report, before.size(),
                            before.values().stream().mapToLong(Long::longValue).sum());
                }))));
    }

    private Mono<Map<Path, Long>> staging() {
        return Mono.fromCallable(() -> StagingAreas.sizes(repo.path())).subscribeOn(repo.scheduler());
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
        Variant manifestJson = c.metadata().get(ImportKeys.MANIFEST);
        List<String> layers = new ArrayList<>();
        long size = 0;
        if (manifestJson != null) {
            try {
                ImageManifest manifest = ImageManifest.parse(manifestJson.asString().getBytes(StandardCharsets.UTF_8), null,
                        "metadata " + ImportKeys.MANIFEST + " of commit " + commit);
                for (Descriptor d : manifest.layers()) {
                    layers.add(d.digest());
                    size += d.size();
                }
            } catch (OciFormatException e) {
                layers.clear();
            }
        }
        Variant stored = c.metadata().get(ImportKeys.LAYERS);
        if (layers.isEmpty() && stored != null) {
            layers.addAll(stored.asStrings());
        }
        return new ImageInfo(name, ref, digest == null ? null : digest.asString(), commit, layers, size);
    }
}
