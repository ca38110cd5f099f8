package dev.ocitree.ostree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.testsupport.PeerTools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Against the real {@code ostree}: a directory tree with sort-order traps, unicode names, empty
 * directories, symlinks, executables, setuid/setgid bits, xattrs and large compressible and random
 * files is committed twice (a parent chain, detached metadata) by {@code ostree commit --tree=dir=},
 * in each repository mode. Every object ostree wrote parses and re-serialises byte-exactly and
 * hashes to its name; the same tree built with the object model gives ostree's commit checksums;
 * archive {@code .filez} re-encode byte-identically at level 6; bare-user {@code user.ostreemeta}
 * values equal ours.
 */
class OstreeInteropTest {

    private static final long TIMESTAMP = 1_700_000_000L;
    private static final String[] NAMES = {".hidden", "10", "9", "B", "Z", "_", "a", "a-b", "a.b", "z", "é", "日本", "😀",
        "\uFFFD", "\uD800\uDC00"};

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(RepoMode.class)
    void objectsOfRealOstreeCommitsRoundTripAndOurTreeGivesTheSameCommits(RepoMode mode) throws IOException {
        Path input = tmp.resolve("input");
        buildInputTree(input, new Random(7));
        Path repo = tmp.resolve("repo");
        PeerTools.runOk(tmp, "ostree", "init", "--repo=" + repo, "--mode=" + mode.configName());
        String first = commit(repo, input, "first", "--add-detached-metadata-string=sig=abc");
        Commit parent = ourCommit(input, mode, "first", null, repo);
        Files.writeString(input.resolve("added-later.txt"), "second commit\n");
        String second = commit(repo, input, "second");
        Commit child = ourCommit(input, mode, "second", parent.checksum(), repo);

        // 1. every object ostree wrote: parse + serialise is the identity, and it hashes to its name
        int[] counts = checkEveryObject(repo, mode);
        assertThat(counts[0]).as("commits").isEqualTo(2);
        assertThat(counts[1]).as("content objects").isGreaterThan(30);

        // 2. our own build of the same tree gives ostree's commits
        assertThat(parent.checksum().hex()).isEqualTo(first);
        assertThat(child.checksum().hex()).isEqualTo(second);
        assertThat(Commit.parse(Files.readAllBytes(objectPath(repo, ObjectType.COMMIT, second, mode)))).isEqualTo(child);
        assertThat(PeerTools.runOk(tmp, "ostree", "show", "--repo=" + repo, second))
                .contains("ContentChecksum:  " + child.contentChecksum().hex());

        // 3. detached metadata
        byte[] commitmeta = Files.readAllBytes(objectPath(repo, ObjectType.COMMIT_META, first, mode));
        assertThat(new DetachedMetadata(Map.of("sig", Variant.string("abc"))).serialize()).isEqualTo(commitmeta);
    }

    private String commit(Path repo, Path input, String subject, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ostree", "commit", "--repo=" + repo, "--tree=dir=" + input, "-b", "x",
                "-s", subject, "--body=Body of " + subject, "--timestamp=@" + TIMESTAMP,
                "--add-metadata-string=version=1.2", "--add-metadata-string=zz=first", "--add-metadata=num=uint64 5"));
        cmd.addAll(List.of(extra));
        return PeerTools.runOk(tmp, cmd.toArray(String[]::new)).trim();
    }

    /** The commit the object model builds for the directory, as {@code ostree commit --tree=dir=} does. */
    private static Commit ourCommit(Path input, RepoMode mode, String subject, Checksum parent, Path repo) throws IOException {
        Map<Checksum, Dirtree> trees = new HashMap<>();
        MutableTree root = new MutableTree(dirmeta(input, mode).checksum());
        addChildren(input, root, mode, repo);
        Dirtree.Subdir top = root.write((tree, checksum) -> trees.put(checksum, tree));
        for (Map.Entry<Checksum, Dirtree> e : trees.entrySet()) {
            assertThat(Files.readAllBytes(objectPath(repo, ObjectType.DIR_TREE, e.getKey().hex(), mode)))
                    .isEqualTo(e.getValue().serialize());
        }
        Map<String, Variant> metadata = new LinkedHashMap<>();
        metadata.put("version", Variant.string("1.2"));
        metadata.put("zz", Variant.string("first"));
        metadata.put("num", Variant.uint64(5));
        metadata.put(Commit.REF_BINDING, Commit.refBinding(List.of("x")));
        return new Commit(metadata, parent, subject, "Body of " + subject, TIMESTAMP, top.tree(), top.meta());
    }

    private static void addChildren(Path dir, MutableTree tree, RepoMode mode, Path repo) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.toList();
        }
        for (Path p : children) {
            String name = p.getFileName().toString();
            if (Files.isSymbolicLink(p)) {
                FileMeta meta = FileMeta.symlink(attr(p, "uid"), attr(p, "gid"), Files.readSymbolicLink(p).toString(),
                        Xattrs.empty()).canonical(mode);
                tree.putFile(name, check(meta, new byte[0], repo, mode));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                addChildren(p, tree.putDir(name, dirmeta(p, mode).checksum()), mode, repo);
            } else {
                FileMeta meta = FileMeta.regular(attr(p, "uid"), attr(p, "gid"), attr(p, "mode") & 07777, xattrs(p))
                        .canonical(mode);
                tree.putFile(name, check(meta, Files.readAllBytes(p), repo, mode));
            }
        }
    }

    /** Our checksum of a file; checks that ostree stored that object and, per mode, how. */
    private static Checksum check(FileMeta meta, byte[] content, Path repo, RepoMode mode) throws IOException {
        Checksum c = FileObjectHasher.checksum(meta, content);
        Path object = objectPath(repo, ObjectType.FILE, c.hex(), mode);
        assertThat(Files.exists(object, LinkOption.NOFOLLOW_LINKS)).as("%s stored by ostree as %s", meta, object).isTrue();
        switch (mode) {
            case ARCHIVE -> assertThat(ArchiveFileEncoder.encode(meta, content, ArchiveFileEncoder.DEFAULT_LEVEL))
                    .as("our .filez of %s", meta).isEqualTo(Files.readAllBytes(object));
            case BARE_USER -> {
                assertThat(readXattr(object, "ostreemeta")).isEqualTo(meta.bareUserMeta());
                assertThat(attr(object, "mode") & 07777).isEqualTo(meta.bareUserStoredPermissions());
            }
            case BARE_USER_ONLY -> assertThat(attr(object, "mode") & 07777).isEqualTo(meta.permissions());
        }
        return c;
    }

    private static Dirmeta dirmeta(Path dir, RepoMode mode) throws IOException {
        return Dirmeta.directory(attr(dir, "uid"), attr(dir, "gid"), attr(dir, "mode") & 07777, xattrs(dir)).canonical(mode);
    }

    private static int attr(Path p, String name) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    private static Xattrs xattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        Map<String, byte[]> map = new TreeMap<>();
        for (String n : view.list()) {
            byte[] value = readXattr(p, n);
            if (value.length > 0) { // ostree commit --tree=dir= (libglnx) skips xattrs with empty values
                map.put("user." + n, value);
            }
        }
        return Xattrs.of(map);
    }

    private static byte[] readXattr(Path p, String userName) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        ByteBuffer b = ByteBuffer.allocate(view.size(userName));
        view.read(userName, b);
        return b.array();
    }

    private static Path objectPath(Path repo, ObjectType type, String hex, RepoMode mode) {
        return repo.resolve(type.relativePath(Checksum.fromHex(hex), mode));
    }

    /** Parses every loose object, checks the round trip and the name; returns {commits, content objects}. */
    private static int[] checkEveryObject(Path repo, RepoMode mode) throws IOException {
        int[] counts = new int[2];
        List<Path> objects;
        try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
            objects = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)).toList();
        }
        Random r = new Random(1);
        for (Path p : objects) {
            String file = p.getFileName().toString();
            String hex = p.getParent().getFileName() + file.substring(0, file.indexOf('.'));
            ObjectType type = ObjectType.fromExtension(file.substring(file.indexOf('.') + 1));
            assertThat(type.relativePath(Checksum.fromHex(hex), mode)).isEqualTo(repo.relativize(p).toString());
            if (type == ObjectType.FILE) {
                counts[1]++;
                assertThat(contentChecksum(p, mode, r).hex()).as(p.toString()).isEqualTo(hex);
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            byte[] again = switch (type) {
                case COMMIT -> Commit.parse(bytes).serialize();
                case DIR_TREE -> Dirtree.parse(bytes).serialize();
                case DIR_META -> Dirmeta.parse(bytes).serialize();
                default -> DetachedMetadata.parse(bytes).serialize();
            };
            assertThat(again).as(p.toString()).isEqualTo(bytes);
            if (type.isContentAddressedMetadata()) {
                assertThat(Checksum.sha256(bytes).hex()).isEqualTo(hex);
            }
            counts[0] += type == ObjectType.COMMIT ? 1 : 0;
        }
        return counts;
    }

    /** Re-hashes a stored content object the way each mode stores it; archive objects are streamed in random slices. */
    private static Checksum contentChecksum(Path p, RepoMode mode, Random r) throws IOException {
        switch (mode) {
            case ARCHIVE -> {
                byte[] filez = Files.readAllBytes(p);
                ByteBuf out = Unpooled.buffer();
                try (ArchiveFileDecoder d = new ArchiveFileDecoder(p.toString())) {
                    for (int pos = 0; pos < filez.length; ) {
                        int n = Math.min(filez.length - pos, 1 + r.nextInt(4096));
                        ByteBuf slice = Unpooled.directBuffer(n).writeBytes(filez, pos, n);
                        d.update(slice, out);
                        slice.release();
                        pos += n;
                    }
                    d.finish();
                    byte[] content = new byte[out.readableBytes()];
                    out.readBytes(content);
                    byte[] reencoded = ArchiveFileEncoder.encode(d.meta(), content, ArchiveFileEncoder.DEFAULT_LEVEL);
                    assertThat(reencoded).as("re-encoded %s", p).isEqualTo(filez);
                    return FileObjectHasher.checksum(d.meta(), content);
                } finally {
                    out.release();
                }
            }
            case BARE_USER -> {
                byte[] content = Files.readAllBytes(p);
                FileMeta meta = FileMeta.fromBareUserMeta(readXattr(p, "ostreemeta"), content.length > 0
                        ? new String(content, 0, content.length - 1, StandardCharsets.UTF_8) : null);
                return FileObjectHasher.checksum(meta, meta.isSymlink() ? new byte[0] : content);
            }
            default -> {
                if (Files.isSymbolicLink(p)) {
                    return FileObjectHasher.checksum(FileMeta.symlink(0, 0, Files.readSymbolicLink(p).toString(),
                            Xattrs.empty()), new byte[0]);
                }
                return FileObjectHasher.checksum(FileMeta.regular(0, 0, attr(p, "mode") & 07777, Xattrs.empty()),
                        Files.readAllBytes(p));
            }
        }
    }

    /** A seeded tree: ~60 entries over three levels, with the traps ostree's sort order and modes hold. */
    private static void buildInputTree(Path root, Random r) throws IOException {
        Files.createDirectories(root);
        fill(root, r, 0);
        Path big = root.resolve("big-compressible.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 300_000; i++) {
            sb.append("line ").append(i).append(" of a large, fairly compressible file ").append(i % 17).append('\n');
        }
        Files.writeString(big, sb);
        byte[] random = new byte[100_000];
        r.nextBytes(random);
        Files.write(root.resolve("random.bin"), random);
        Files.createDirectories(root.resolve("empty-dir"));
        Files.write(root.resolve("setuid"), new byte[] {1, 2, 3});
        PeerTools.runOk(root, "chmod", "4755", "setuid");
        Files.createDirectories(root.resolve("setgid-dir"));
        PeerTools.runOk(root, "chmod", "2775", "setgid-dir");
        chmod(root, "rwxr-xr-x");
    }

    private static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }

    private static void fill(Path dir, Random r, int depth) throws IOException {
        for (String name : NAMES) {
            int kind = r.nextInt(depth < 2 ? 5 : 3);
            Path p = dir.resolve(name);
            switch (kind) {
                case 0, 1 -> {
                    byte[] content = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(2000)];
                    for (int i = 0; i < content.length; i++) {
                        content[i] = (byte) ('a' + r.nextInt(4));
                    }
                    Files.write(p, content);
                    chmod(p, List.of("rw-r--r--", "rwxr-xr-x", "rw-------", "rw-rw-r--", "r--r--r--").get(r.nextInt(5)));
                    if (r.nextInt(3) == 0) {
                        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                        view.write("zeta", ByteBuffer.wrap(new byte[] {(byte) r.nextInt(256), 0, 7}));
                        view.write("alpha", ByteBuffer.wrap("first".getBytes(StandardCharsets.UTF_8)));
                        view.write("B", ByteBuffer.wrap(new byte[0]));
                    }
                }
                case 2 -> Files.createSymbolicLink(p, Path.of(r.nextBoolean() ? "../" + name : "target-é-" + r.nextInt(9)));
                default -> {
                    Files.createDirectories(p);
                    if (r.nextInt(3) == 0) {
                        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
                                .write("dirattr", ByteBuffer.wrap(new byte[] {'d'}));
                    }
                    if (r.nextInt(4) > 0) {
                        fill(p, r, depth + 1);
                    }
                    chmod(p, List.of("rwxr-xr-x", "rwx------", "rwxr-x---").get(r.nextInt(3)));
                }
            }
        }
    }
}
