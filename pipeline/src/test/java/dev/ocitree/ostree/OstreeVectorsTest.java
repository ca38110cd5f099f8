package dev.ocitree.ostree;

import static dev.ocitree.ostree.VectorTreeBuilder.hex;
import static dev.ocitree.ostree.VectorTreeBuilder.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocitree.ostree.gvariant.Variant;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector × mode made by the real ostree 2022.7 (test resources {@code vectors/}) is rebuilt
 * from its inputs with the object model and must match byte for byte: commit, every dirtree and
 * dirmeta, every file header, checksum, {@code .filez} and {@code user.ostreemeta}.
 */
class OstreeVectorsTest {

    private static final long TIMESTAMP = 1609459200L;

    static Stream<Arguments> vectors() {
        return Stream.of("a", "b", "c", "d").flatMap(v -> Stream.of(RepoMode.values()).map(m -> Arguments.of(v, m)));
    }

    private static JsonNode json(String vector, RepoMode mode) throws IOException {
        return new ObjectMapper().readTree(resource(dir(vector, mode) + "/vector.json"));
    }

    private static String dir(String vector, RepoMode mode) {
        return vector + "-" + (mode == RepoMode.ARCHIVE ? "archive" : mode.configName());
    }

    private static Commit commitFor(String vector, VectorTreeBuilder b) {
        Map<String, Variant> metadata = new LinkedHashMap<>();
        String upper = vector.toUpperCase(java.util.Locale.ROOT);
        if (vector.equals("d")) {
            // --orphan --no-bindings --add-metadata-string=version=1.0 --add-metadata=custom.num='uint32 7'
            metadata.put("version", Variant.string("1.0"));
            metadata.put("custom.num", Variant.uint32(7));
        } else {
            metadata.put(Commit.REF_BINDING, Commit.refBinding(List.of("vectors/" + vector)));
        }
        return new Commit(metadata, null, "Test vector " + upper, vector.equals("d") ? "" : "Body of vector " + upper,
                TIMESTAMP, b.rootSubdir.tree(), b.rootSubdir.meta());
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("vectors")
    void commitAndRootMatchOstree(String vector, RepoMode mode) throws IOException {
        JsonNode v = json(vector, mode);
        VectorTreeBuilder b = VectorTreeBuilder.build(vector, mode);
        assertThat(b.rootSubdir.tree().hex()).isEqualTo(v.get("root_dirtree").asText());
        assertThat(b.rootSubdir.meta().hex()).isEqualTo(v.get("root_dirmeta").asText());

        Commit commit = commitFor(vector, b);
        byte[] expected = resource(dir(vector, mode) + "/commit.bin");
        assertThat(hex(commit.serialize())).isEqualTo(hex(expected));
        assertThat(commit.checksum().hex()).isEqualTo(v.get("commit").asText());
        assertThat(Commit.parse(expected)).isEqualTo(commit);
        assertThat(commit.serialize()).hasSize(v.get("commit_size").asInt());
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("vectors")
    void everyDirtreeAndDirmetaMatchesOstree(String vector, RepoMode mode) throws IOException {
        JsonNode v = json(vector, mode);
        VectorTreeBuilder b = VectorTreeBuilder.build(vector, mode);

        Set<String> expectedTrees = new HashSet<>();
        v.get("dirtrees").fieldNames().forEachRemaining(expectedTrees::add);
        assertThat(b.dirtrees.keySet()).extracting(Checksum::hex).containsExactlyInAnyOrderElementsOf(expectedTrees);
        for (Map.Entry<Checksum, Dirtree> e : b.dirtrees.entrySet()) {
            JsonNode t = v.get("dirtrees").get(e.getKey().hex());
            byte[] stored = resource(dir(vector, mode) + "/" + e.getKey().hex().substring(0, 12) + ".dirtree.bin");
            assertThat(hex(e.getValue().serialize())).isEqualTo(t.get("hex").asText()).isEqualTo(hex(stored));
            assertThat(Dirtree.parse(stored)).isEqualTo(e.getValue());
            assertThat(Checksum.sha256(stored)).isEqualTo(e.getKey());
        }

        Set<String> referencedMetas = new HashSet<>();
        referencedMetas.add(b.rootSubdir.meta().hex());
        b.dirtrees.values().forEach(t -> t.dirs().values().forEach(s -> referencedMetas.add(s.meta().hex())));
        Set<String> expectedMetas = new HashSet<>();
        v.get("dirmetas").fieldNames().forEachRemaining(expectedMetas::add);
        assertThat(referencedMetas).isEqualTo(expectedMetas);
        for (String c : expectedMetas) {
            Dirmeta meta = b.dirmetas.get(Checksum.fromHex(c));
            byte[] stored = resource(dir(vector, mode) + "/" + c.substring(0, 12) + ".dirmeta.bin");
            assertThat(hex(meta.serialize())).isEqualTo(v.get("dirmetas").get(c).get("hex").asText()).isEqualTo(hex(stored));
            assertThat(meta.checksum().hex()).isEqualTo(c);
            assertThat(Dirmeta.parse(stored)).isEqualTo(meta);
        }
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("vectors")
    void everyFileObjectMatchesOstree(String vector, RepoMode mode) throws IOException {
        JsonNode v = json(vector, mode);
        VectorTreeBuilder b = VectorTreeBuilder.build(vector, mode);
        assertThat(v.get("files")).isNotEmpty();
        for (JsonNode f : v.get("files")) {
            String path = f.get("path").asText().substring(1);
            VectorTreeBuilder.FileObject o = b.filesByPath.get(path);
            assertThat(o).as(path).isNotNull();
            assertThat(o.checksum().hex()).as(path).isEqualTo(f.get("checksum").asText());
            assertThat(hex(o.meta().fileHeader())).as(path).isEqualTo(f.get("hash_header_hex").asText());
            assertThat(o.meta().fileHeader().length + o.content().length).isEqualTo(f.get("hash_stream_len").asInt());
            assertThat(Integer.toOctalString(o.meta().mode())).isEqualTo(f.get("mode").asText().substring(1));
            assertThat(o.content()).hasSize(f.get("size").asInt());
            assertThat(streamedChecksum(o.meta(), o.content())).isEqualTo(o.checksum());
            if (mode == RepoMode.ARCHIVE) {
                byte[] filez = ArchiveFileEncoder.encode(o.meta(), o.content(), ArchiveFileEncoder.DEFAULT_LEVEL);
                byte[] stored = resource(dir(vector, mode) + "/" + o.checksum().hex().substring(0, 12) + ".filez.bin");
                assertThat(hex(filez)).as(path).isEqualTo(f.get("filez_hex").asText()).isEqualTo(hex(stored));
                ArchiveFileDecoder.Decoded d = ArchiveFileDecoder.decode(stored, path);
                assertThat(d.meta()).isEqualTo(o.meta());
                assertThat(d.content()).isEqualTo(o.content());
            }
            if (mode == RepoMode.BARE_USER) {
                assertThat(hex(o.meta().bareUserMeta())).as(path).isEqualTo(f.get("stored_user_ostreemeta_hex").asText());
                int storedSize = o.meta().isSymlink() ? o.meta().bareUserSymlinkContent().length : o.content().length;
                assertThat(storedSize).isEqualTo(f.get("stored_st_size").asInt());
                assertThat(Integer.toOctalString(FileMeta.S_IFREG | o.meta().bareUserStoredPermissions()))
                        .isEqualTo(f.get("stored_st_mode").asText().substring(1));
                String target = o.meta().isSymlink() ? o.meta().symlinkTarget() : null;
                assertThat(FileMeta.fromBareUserMeta(o.meta().bareUserMeta(), target)).isEqualTo(o.meta());
            }
        }
    }

    /** The same checksum when the content arrives one byte at a time, through ByteBufs. */
    private static Checksum streamedChecksum(FileMeta meta, byte[] content) {
        FileObjectHasher h = new FileObjectHasher(meta, content.length);
        for (byte value : content) {
            ByteBuf one = Unpooled.directBuffer(1).writeByte(value);
            h.update(one);
            one.release();
        }
        return h.finish();
    }
}
