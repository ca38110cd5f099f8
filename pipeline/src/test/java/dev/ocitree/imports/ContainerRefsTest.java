package dev.ocitree.imports;

import dev.ocitree.ostree.repo.InvalidRefException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRefsTest {

    @TempDir
    Path tmp;

    static List<String> corpus() throws IOException {
        try (InputStream in = ContainerRefsTest.class.getResourceAsStream("image-names.txt")) {
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("# ")) {
                    names.add(line);
                }
            }
            return names;
        }
    }

    @Test
    void everyCorpusNameEncodesToAValidRefAndDecodesBack() throws IOException {
        List<String> names = corpus();
        assertThat(names).hasSizeGreaterThan(75);
        for (String name : names) {
            String ref = ContainerRefs.imageRef(name);
            assertThat(ContainerRefs.isValidRef(ref)).as("valid: %s -> %s", name, ref).isTrue();
            assertThat(ref).as("ASCII").matches("[\\x21-\\x7e]+");
            for (String part : ref.split("/")) {
                assertThat(part.getBytes(StandardCharsets.UTF_8).length).as(ref).isLessThanOrEqualTo(255);
            }
            assertThat(ContainerRefs.imageName(ref)).isEqualTo(name);
        }
    }

    @Test
    void noTwoCorpusNamesCollideNorNestAsFileAndDirectory() throws IOException {
        Map<String, String> byRef = new HashMap<>();
        for (String name : corpus()) {
            String previous = byRef.put(ContainerRefs.imageRef(name), name);
            assertThat(previous).as("collision of %s and %s", previous, name).isNull();
        }
        TreeSet<String> refs = new TreeSet<>(byRef.keySet());
        for (String ref : refs) {
            String asDir = ref + "/";
            String next = refs.higher(ref);
            assertThat(next == null || !next.startsWith(asDir)).as("%s is a directory of %s", ref, next).isTrue();
        }
    }

    @Test
    void longNamesAreSplitIntoComponentsOfAtMost255Bytes() {
        String name = "docker://" + "a".repeat(237) + "-b";
        String ref = ContainerRefs.imageRef(name);
        assertThat(ref).startsWith("ostree/container/image/_L2/");
        String[] parts = ref.split("/");
        assertThat(parts[4]).hasSize(255);
        assertThat(parts[5]).as("a component never starts with '-'").isEqualTo("_2D_b");
        assertThat(ContainerRefs.imageName(ref)).isEqualTo(name);
        assertThat(ContainerRefs.imageRef("docker://" + "a".repeat(3000)).split("/")).hasSize(3 + 1 + 12);
        assertThatThrownBy(() -> ContainerRefs.imageRef("x".repeat(12 * 255 + 1))).isInstanceOf(InvalidRefException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void layerRefsAreOstreeExtsAndImageRefsFixItsFlaws() {
        // the forms documented for ostree-ext (PEERS.md B.1): blob refs are identical
        String digest = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        assertThat(ContainerRefs.blobRef(digest))
                .isEqualTo("ostree/container/blob/sha256_3A_2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
        assertThat(ContainerRefs.blobDigest(ContainerRefs.blobRef(digest))).isEqualTo(digest);
        // ostree-ext keeps '-' first (invalid ref) and '/' (quay.io/a vs quay.io/a/b: file vs directory)
        assertThat(ContainerRefs.imageRef("-lead")).isEqualTo("ostree/container/image/_2D_lead");
        assertThat(ContainerRefs.imageRef("quay.io/a")).isEqualTo("ostree/container/image/quay_2E_io_2F_a");
        assertThat(ContainerRefs.imageRef("quay.io/a/b")).isEqualTo("ostree/container/image/quay_2E_io_2F_a_2F_b");
        assertThat(ContainerRefs.imageRef("a_b")).isEqualTo("ostree/container/image/a__b");
        assertThat(ContainerRefs.imageRef("é")).isEqualTo("ostree/container/image/_E9_");
    }

    @Test
    void nonCanonicalOrForeignRefsAreRejected() {
        for (String bad : List.of("ostree/container/image/_2d_lead", "ostree/container/image/_61_", "ostree/container/image/_L1/a",
                "ostree/container/image/_L3/a/b", "ostree/container/image/a/b", "ostree/container/image/_ZZ_",
                "ostree/container/image/-lead", "ostree/container/image/_002D_x", "ostree/container/blob/x",
                "ostree/container/image/")) {
            assertThatThrownBy(() -> ContainerRefs.imageName(bad)).as(bad).isInstanceOf(InvalidRefException.class);
        }
        assertThatThrownBy(() -> ContainerRefs.imageRef("")).isInstanceOf(InvalidRefException.class);
        assertThatThrownBy(() -> ContainerRefs.imageRef("a\0b")).isInstanceOf(InvalidRefException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> ContainerRefs.imageRef("a\uD800b")).isInstanceOf(InvalidRefException.class);
    }

    @Test
    void refValidatorFollowsOstreeGrammar() {
        for (String ok : List.of("ok", "a/b/c", "a.b-c_d", "_lead", "9num", "a..b", "UPPER", "é")) {
            assertThat(ContainerRefs.isValidRef(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("-lead", ".lead", "a//b", "a/", "/a", "a/.b", "a/-b", "a b", "a~b", "x@y", "a:b",
                "a".repeat(256))) {
            assertThat(ContainerRefs.isValidRef(bad)).as(bad).isFalse();
        }
    }

    /** Real ostree accepts every corpus ref, in one repository, with no file/directory conflict. */
    @Test
    void realOstreeAcceptsEveryCorpusRefTogether() throws IOException {
        Path repo = tmp.resolve("repo");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + repo, "--mode=bare-user-only");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String commit = PeerTools.runOk(tmp, "ostree", "commit", "--repo=" + repo, "--tree=dir=" + empty,
                "--no-bindings", "--orphan").trim();
        Set<String> expected = new HashSet<>();
        List<String> names = corpus();
        for (String name : names) {
            String ref = ContainerRefs.imageRef(name);
            expected.add(ref);
            PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo, "--create=" + ref, commit);
        }
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo, "--create=" + ContainerRefs.blobRef(digest), commit);
        expected.add(ContainerRefs.blobRef(digest));
        Set<String> listed = new HashSet<>(Arrays.asList(PeerTools.runOk(tmp, "ostree", "refs", "--repo=" + repo).split("\n")));
        assertThat(listed).isEqualTo(expected);
    }
}
