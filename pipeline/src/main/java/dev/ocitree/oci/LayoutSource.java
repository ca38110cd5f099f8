package dev.ocitree.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}) in a
 * directory ({@code oci:}) or a tar file ({@code oci-archive:}). A tag selects the index entries
 * whose {@code org.opencontainers.image.ref.name} equals it; without a tag the index must hold one
 * image (or one index).
 */
final class LayoutSource extends StoreSource {

    private final String tag;

    LayoutSource(String name, Path path, boolean archive, String tag, Scheduler io) {
        super(name, path, archive, io);
        this.tag = tag;
    }

    @Override
    String member(Descriptor descriptor) {
        return "blobs/sha256/" + descriptor.hex();
    }

    @Override
    public Mono<ResolvedImage> resolve(Platform platform) {
        return Mono.fromCallable(() -> resolveBlocking(platform)).subscribeOn(io);
    }

    private ResolvedImage resolveBlocking(Platform platform) {
        String where = store().location();
        JsonNode layout = OciJson.object(document("oci-layout"), where + "/oci-layout");
        String version = OciJson.text(layout, "imageLayoutVersion", where + "/oci-layout");
        if (!version.startsWith("1.")) {
            throw new OciFormatException(where + "/oci-layout", "imageLayoutVersion '" + version + "' is not 1.x");
        }
        String indexFile = where + "/index.json";
        List<Descriptor> entries = Indexes.parse(document("index.json"), null, indexFile);
        List<Descriptor> tagged = entries;
        if (tag != null) {
            tagged = entries.stream().filter(d -> tag.equals(d.refName())).toList();
            if (tagged.isEmpty()) {
                throw new ImageNotFoundException("source '" + name() + "': no image tagged '" + tag + "' in " + indexFile
                        + "; tags there: " + entries.stream().map(Descriptor::refName).filter(Objects::nonNull)
                                .distinct().collect(Collectors.joining(", ", "[", "]")));
            }
        }
        Descriptor chosen = Indexes.choose(tagged, platform, name(), indexFile);
        List<String> path = new ArrayList<>();
        while (MediaTypes.isIndex(chosen.mediaType())) {
            String file = where + "/" + member(chosen);
            path.add(chosen.digest());
            if (path.size() > 8) {
                throw new OciFormatException(file, "image indexes nest deeper than 8 levels");
            }
            byte[] bytes = Blobs.verified(document(member(chosen)), chosen, file);
            chosen = Indexes.choose(Indexes.parse(bytes, chosen.mediaType(), file), platform, name(), file);
        }
        String manifestFile = where + "/" + member(chosen);
        byte[] manifestBytes = Blobs.verified(document(member(chosen)), chosen, manifestFile);
        ImageManifest manifest = ImageManifest.parse(manifestBytes, chosen.mediaType(), manifestFile);
        String configFile = where + "/" + member(manifest.config());
        byte[] configBytes = Blobs.verified(document(member(manifest.config())), manifest.config(), configFile);
        return new ResolvedImage(name(), chosen.digest(), manifestBytes, manifest, configBytes,
                ImageConfig.parse(configBytes, configFile));
    }
}
