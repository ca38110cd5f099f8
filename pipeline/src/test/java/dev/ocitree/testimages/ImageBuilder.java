package dev.ocitree.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A test image: layers (each a {@link LayerBuilder} and a {@link LayerCompression}) and a platform,
 * written as an OCI image layout ({@link #writeLayout}), an oci-archive ({@link #writeOciArchive})
 * or a {@code docker save} archive ({@link #writeDockerArchive}). Several images can share a layout
 * ({@link #writeLayout(Path, Map)}), and a multi-platform index can be written with {@link #writeIndex}.
 */
public final class ImageBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One built layer: uncompressed tar, blob bytes and media type. */
    public record Layer(byte[] tar, byte[] blob, String mediaType) {
        public String diffId() {
            return sha256(tar);
        }

        public String digest() {
            return sha256(blob);
        }
    }

    private final List<Layer> layers = new ArrayList<>();
    private String os = "linux";
    private String architecture = "amd64";
    private String variant;

    public ImageBuilder layer(LayerBuilder layer, LayerCompression compression) {
        byte[] tar = layer.tar();
        layers.add(new Layer(tar, compression.compress(tar), compression.mediaType()));
        return this;
    }

    /** Adds a layer whose blob and media type are given as-is (e.g. a mislabelled blob). */
    public ImageBuilder rawLayer(byte[] tar, byte[] blob, String mediaType) {
        layers.add(new Layer(tar, blob, mediaType));
        return this;
    }

    public ImageBuilder platform(String os, String architecture, String variant) {
        this.os = os;
        this.architecture = architecture;
        this.variant = variant;
        return this;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public byte[] config() {
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2023-11-14T22:13:20Z");
        config.put("architecture", architecture);
        config.put("os", os);
        if (variant != null) {
            config.put("variant", variant);
        }
        config.putObject("config").putArray("Env").add("PATH=/usr/bin:/bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.diffId()));
        return json(config);
    }

    public byte[] manifest() {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        byte[] config = config();
        descriptor(manifest.putObject("config"), "application/vnd.oci.image.config.v1+json", config);
        ArrayNode array = manifest.putArray("layers");
        layers.forEach(l -> descriptor(array.addObject(), l.mediaType(), l.blob()));
        return json(manifest);
    }

    /** {@code sha256:<hex>} of {@link #manifest()}. */
    public String manifestDigest() {
        return sha256(manifest());
    }

    /** Writes a layout holding this image tagged {@code tag}; returns {@code dir}. */
    public Path writeLayout(Path dir, String tag) {
        return writeLayout(dir, Map.of(tag, this));
    }

    /** Writes a layout holding several tagged images (shared blobs are written once). */
    public static Path writeLayout(Path dir, Map<String, ImageBuilder> images) {
        ObjectNode index = startIndex();
        for (Map.Entry<String, ImageBuilder> e : new java.util.TreeMap<>(images).entrySet()) {
            ObjectNode d = index.withArray("manifests").addObject();
            descriptor(d, "application/vnd.oci.image.manifest.v1+json", e.getValue().manifest());
            d.putObject("annotations").put("org.opencontainers.image.ref.name", e.getKey());
            e.getValue().writeBlobs(dir);
        }
        return finishLayout(dir, index);
    }

    /** Writes a layout whose {@code tag} names an image index of the given per-platform images. */
    public static Path writeIndex(Path dir, String tag, List<ImageBuilder> images) {
        ObjectNode nested = JSON.createObjectNode();
        nested.put("schemaVersion", 2);
        nested.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = nested.putArray("manifests");
        for (ImageBuilder image : images) {
            ObjectNode d = manifests.addObject();
            descriptor(d, "application/vnd.oci.image.manifest.v1+json", image.manifest());
            ObjectNode p = d.putObject("platform");
            p.put("architecture", image.architecture);
            p.put("os", image.os);
            if (image.variant != null) {
                p.put("variant", image.variant);
            }
            image.writeBlobs(dir);
        }
        byte[] nestedBytes = json(nested);
        writeBlob(dir, nestedBytes);
        ObjectNode index = startIndex();
        ObjectNode d = index.withArray("manifests").addObject();
        descriptor(d, "application/vnd.oci.image.index.v1+json", nestedBytes);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        return finishLayout(dir, index);
    }

    /** Writes the layout as an uncompressed tar file (the {@code oci-archive} format). */
    public Path writeOciArchive(Path file, String tag) {
        try {
            Path dir = Files.createTempDirectory("oci-archive-src");
            try {
                writeLayout(dir, tag);
                Map<String, byte[]> members = new LinkedHashMap<>();
                members.put("oci-layout", Files.readAllBytes(dir.resolve("oci-layout")));
                members.put("index.json", Files.readAllBytes(dir.resolve("index.json")));
                try (var blobs = Files.list(dir.resolve("blobs/sha256"))) {
                    for (Path blob : blobs.sorted().toList()) {
                        members.put("blobs/sha256/" + blob.getFileName(), Files.readAllBytes(blob));
                    }
                }
                return writeTar(file, members);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a {@code docker save} archive: manifest.json, {@code <hex>.json} config and {@code <hex>/layer.tar} blobs. */
    public Path writeDockerArchive(Path file, String repoTag) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        byte[] config = config();
        String configName = sha256(config).substring(7) + ".json";
        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode entry = manifest.addObject();
        entry.put("Config", configName);
        entry.putArray("RepoTags").add(repoTag);
        ArrayNode layerNames = entry.putArray("Layers");
        for (Layer layer : layers) {
            String name = layer.digest().substring(7) + "/layer.tar";
            layerNames.add(name);
            members.put(name, layer.blob());
        }
        members.put(configName, config);
        members.put("manifest.json", json(manifest));
        return writeTar(file, members);
    }

    private void writeBlobs(Path dir) {
        writeBlob(dir, config());
        writeBlob(dir, manifest());
        layers.forEach(l -> writeBlob(dir, l.blob()));
    }

    private static ObjectNode startIndex() {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.putArray("manifests");
        return index;
    }

    private static Path finishLayout(Path dir, ObjectNode index) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            Files.write(dir.resolve("index.json"), json(index));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBlob(Path dir, byte[] bytes) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
            Files.write(blobs.resolve(sha256(bytes).substring(7)), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeTar(Path file, Map<String, byte[]> members) {
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                e.setModTime(LayerBuilder.MTIME * 1000);
                out.putArchiveEntry(e);
                out.write(m.getValue());
                out.closeArchiveEntry();
            }
            out.finish();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void descriptor(ObjectNode node, String mediaType, byte[] content) {
        node.put("mediaType", mediaType);
        node.put("digest", sha256(content));
        node.put("size", content.length);
    }

    static byte[] json(Object tree) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JSON.writeValue(out, tree);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
