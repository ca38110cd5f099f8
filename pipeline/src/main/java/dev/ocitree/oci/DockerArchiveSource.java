package dev.ocitree.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A {@code docker save} archive: {@code manifest.json} lists, per image, its config file, its
 * {@code RepoTags} and its layer tar files. The archive carries no registry manifest, so one is
 * synthesised (an OCI manifest, serialised deterministically: the same archive always gives the
 * same manifest digest). Layers are normally uncompressed tars, whose digest is their diff_id; a
 * compressed layer (detected by its magic bytes) is hashed once while resolving.
 *
 * <p>The reference is {@code NAME:TAG} as in {@code RepoTags} ({@code docker.io/} and
 * {@code library/} prefixes are ignored when comparing), or {@code @N} for the N-th image; without
 * one the archive must hold exactly one image.
 */
final class DockerArchiveSource extends StoreSource {

    private final String reference;
    private final Map<String, String> members = new HashMap<>();

    DockerArchiveSource(String name, Path path, String reference, Scheduler io) {
        super(name, path, true, io);
        this.reference = reference;
    }

    @Override
    synchronized String member(Descriptor descriptor) {
        return members.get(descriptor.digest());
    }

    @Override
    public Mono<ResolvedImage> resolve(Platform platform) {
        return Mono.fromCallable(this::resolveBlocking).subscribeOn(io);
    }

    private ResolvedImage resolveBlocking() {
        String file = store().location() + ":manifest.json";
        JsonNode entries = OciJson.array(document("manifest.json"), file);
        JsonNode entry = select(entries, file);
        String configMember = ContentStore.checkMemberName(OciJson.text(entry, "Config", file), file);
        byte[] configBytes = document(configMember);
        String configFile = store().location() + ":" + configMember;
        ImageConfig config = ImageConfig.parse(configBytes, configFile);
        String configDigest = Blobs.sha256(configBytes);
        List<String> layerMembers = OciJson.strings(entry, "Layers", file, false);
        if (layerMembers.size() != config.diffIds().size()) {
            throw new OciFormatException(file, "lists " + layerMembers.size() + " layers but " + configFile + " lists "
                    + config.diffIds().size() + " diff_ids");
        }
        ObjectNode manifest = OciJson.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configNode = manifest.putObject("config");
        configNode.put("mediaType", MediaTypes.OCI_CONFIG);
        configNode.put("digest", configDigest);
        configNode.put("size", configBytes.length);
        ArrayNode layers = manifest.putArray("layers");
        Map<String, String> found = new HashMap<>();
        found.put(configDigest, configMember);
        for (int i = 0; i < layerMembers.size(); i++) {
            String member = ContentStore.checkMemberName(layerMembers.get(i), file);
            FileRegion region = store().region(member);
            if (region == null) {
                throw new OciFormatException(file, "names layer '" + member + "' which the archive does not hold");
            }
            String mediaType = layerMediaType(region);
            String digest = MediaTypes.OCI_LAYER_TAR.equals(mediaType) ? config.diffIds().get(i) : sha256(region);
            ObjectNode layer = layers.addObject();
            layer.put("mediaType", mediaType);
            layer.put("digest", digest);
            layer.put("size", region.length());
            found.put(digest, member);
        }
        byte[] manifestBytes;
        try {
            manifestBytes = OciJson.MAPPER.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a tree of strings and numbers cannot fail", e);
        }
        synchronized (this) {
            members.clear();
            members.putAll(found);
        }
        ImageManifest parsed = ImageManifest.parse(manifestBytes, MediaTypes.OCI_MANIFEST, file + " (synthesised)");
        return new ResolvedImage(name(), Blobs.sha256(manifestBytes), manifestBytes, parsed, configBytes, config);
    }

    private JsonNode select(JsonNode entries, String file) {
        if (entries.isEmpty()) {
            throw new ImageNotFoundException("source '" + name() + "': " + file + " lists no image");
        }
        if (reference == null) {
            if (entries.size() != 1) {
                throw new ImageNotFoundException("source '" + name() + "': " + file + " holds " + entries.size()
                        + " images; name one as NAME:TAG or @INDEX");
            }
            return entries.get(0);
        }
        if (reference.startsWith("@")) {
            int index;
            try {
                index = Integer.parseInt(reference.substring(1));
            } catch (NumberFormatException e) {
                throw new InvalidSourceException("source '" + name() + "': '" + reference + "' is not @INDEX");
            }
            if (index < 0 || index >= entries.size()) {
                throw new ImageNotFoundException("source '" + name() + "': no image @" + index + " in " + file
                        + " (it holds " + entries.size() + ")");
            }
            return entries.get(index);
        }
        List<String> seen = new ArrayList<>();
        for (JsonNode entry : entries) {
            for (String tag : OciJson.strings(entry, "RepoTags", file, true)) {
                seen.add(tag);
                if (shortName(tag).equals(shortName(reference))) {
                    return entry;
                }
            }
        }
        throw new ImageNotFoundException("source '" + name() + "': no image tagged '" + reference + "' in " + file
                + "; tags there: " + seen.stream().collect(Collectors.joining(", ", "[", "]")));
    }

    /** {@code docker.io/library/x:t} and {@code x:t} name the same image. */
    private static String shortName(String tag) {
        String s = tag.startsWith("docker.io/") ? tag.substring("docker.io/".length()) : tag;
        return s.startsWith("library/") ? s.substring("library/".length()) : s;
    }

    private static String layerMediaType(FileRegion region) {
        byte[] magic = new byte[4];
        int n = readAt(region, 0, magic);
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return MediaTypes.DOCKER_LAYER_GZIP;
        }
        if (n == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return MediaTypes.OCI_LAYER_ZSTD;
        }
        return MediaTypes.OCI_LAYER_TAR;
    }

    private static int readAt(FileRegion region, long at, byte[] into) {
        try (FileChannel channel = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(into, 0, (int) Math.min(into.length, region.length() - at));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, region.offset() + at + buffer.position()) < 0) {
                    break;
                }
            }
            return buffer.position();
        } catch (IOException e) {
            throw new UncheckedIOException(region.name() + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(FileRegion region) {
        try (FileChannel channel = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer chunk = ByteBuffer.allocate(FileRegion.CHUNK);
            for (long at = 0; at < region.length(); ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), region.length() - at));
                int n = channel.read(chunk, region.offset() + at);
                if (n <= 0) {
                    throw new OciFormatException(region.name(), "truncated");
                }
                digest.update(chunk.flip());
                at += n;
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(region.name() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

}
