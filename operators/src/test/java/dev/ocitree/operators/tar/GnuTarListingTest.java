package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second, independent reference: GNU tar's own verbose listing ({@code tar tvf --numeric-owner
 * --full-time}, in UTC) of archives from GNU tar, bsdtar and Python, compared field by field with
 * what the parser reports; and the content of every regular file compared with the file GNU tar
 * extracts.
 */
class GnuTarListingTest {

    /** {@code mode owner/group size-or-devices date time name[ -> target| link to target]}. */
    private static final Pattern LINE = Pattern.compile(
            "(\\S)(\\S{9}) (\\d+)/(\\d+) +(\\d+|\\d+,\\d+) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)? (.*)");

    @TempDir
    static Path work;
    static Path tree;

    @BeforeAll
    static void tree() {
        tree = TarTools.tree(work, "full");
    }

    /** What GNU tar says about one entry, in the parser's terms. */
    record GnuListed(String path, TarEntryType type, int mode, long uid, long gid, long size, long mtime,
            String linkTarget) {

        static GnuListed of(TarEntry e) {
            return new GnuListed(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeSeconds(),
                    e.linkTarget());
        }
    }

    private static List<GnuListed> gnuListing(Path archive) {
        String out = PeerTools.runOk(work, "env", "TZ=UTC", "tar", "--numeric-owner", "--full-time",
                "--quoting-style=literal", "-tvf", archive.toString());
        List<GnuListed> listed = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("tar tv line: %s", line).isTrue();
            TarEntryType type = switch (m.group(1).charAt(0)) {
                case '-', 'C' -> TarEntryType.REGULAR;
                case 'd' -> TarEntryType.DIRECTORY;
                case 'l' -> TarEntryType.SYMLINK;
                case 'h' -> TarEntryType.HARDLINK;
                case 'c' -> TarEntryType.CHAR_DEVICE;
                case 'b' -> TarEntryType.BLOCK_DEVICE;
                case 'p' -> TarEntryType.FIFO;
                default -> throw new AssertionError("type in " + line);
            };
            String name = m.group(7);
            String link = null;
            String separator = type == TarEntryType.SYMLINK ? " -> " : type == TarEntryType.HARDLINK ? " link to " : null;
            if (separator != null) {
                int at = name.indexOf(separator);
                link = name.substring(at + separator.length());
                name = name.substring(0, at);
                link = type == TarEntryType.HARDLINK ? stripDotSlash(link) : link;
            }
            name = stripDotSlash(name);
            if (type == TarEntryType.DIRECTORY) {
                name = name.replaceAll("/+$", "");
            }
            long size = type == TarEntryType.REGULAR ? Long.parseLong(m.group(5)) : 0;
            long mtime = LocalDateTime.parse(m.group(6).replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
            listed.add(new GnuListed(name.isEmpty() ? "." : name, type, permissions(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), size, mtime, link));
        }
        return listed;
    }

    private static String stripDotSlash(String name) {
        String p = name;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    /** {@code rwsr-xr-x} to 04755, as ls and tar print permission bits. */
    private static int permissions(String rwx) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char c = rwx.charAt(i);
            if (c != '-' && c != 'S' && c != 'T') {
                mode |= 1 << (8 - i);
            }
        }
        if (rwx.charAt(2) == 's' || rwx.charAt(2) == 'S') {
            mode |= 04000;
        }
        if (rwx.charAt(5) == 's' || rwx.charAt(5) == 'S') {
            mode |= 02000;
        }
        if (rwx.charAt(8) == 't' || rwx.charAt(8) == 'T') {
            mode |= 01000;
        }
        return mode;
    }

    private static List<TarEntry> entries(Path archive) {
        List<TarEntry> entries = new ArrayList<>();
        ChunkPlan.fixed(16 * 1024, ChunkPlan.Kind.POOLED_DIRECT).chunks(TarTools.read(archive))
                .transform(TarParser.parse(StreamLimits.defaults()))
                .doOnNext(e -> {
                    if (e instanceof TarEvent.Entry entry) {
                        entries.add(entry.entry());
                    } else if (e instanceof TarEvent.Content c) {
                        c.release();
                    }
                })
                .blockLast();
        return entries;
    }

    private static void assertMatchesGnuTarListing(Path archive) {
        List<GnuListed> expected = gnuListing(archive);
        assertThat(expected).isNotEmpty();
        assertThat(entries(archive)).extracting(GnuListed::of).as("%s", archive.getFileName())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void gnuFormatMatchesGnuTarListing() {
        assertMatchesGnuTarListing(TarTools.gnuTar(tree, work, "gnu"));
    }

    @Test
    void posixFormatMatchesGnuTarListing() {
        assertMatchesGnuTarListing(TarTools.gnuTar(tree, work, "posix", "--xattrs"));
    }

    @Test
    void bsdtarPaxMatchesGnuTarListing() {
        assertMatchesGnuTarListing(TarTools.bsdtar(tree, work, "pax"));
    }

    @Test
    void pythonGnuFormatWithDevicesMatchesGnuTarListing() {
        assertMatchesGnuTarListing(TarTools.pythonTar(work, "gnu"));
    }

    @Test
    void contentEqualsTheFilesGnuTarExtracts() throws IOException {
        Path archive = TarTools.gnuTar(tree, work, "posix", "--xattrs");
        Path out = Files.createDirectories(work.resolve("extracted"));
        PeerTools.runOk(work, "tar", "--no-same-owner", "-xf", archive.toString(), "-C", out.toString());
        List<Listed> parsed = Listed.parse(TarTools.read(archive), ChunkPlan.random(3, 9000, ChunkPlan.Kind.DIRECT));
        List<Listed> regular = parsed.stream().filter(l -> l.type() == TarEntryType.REGULAR).toList();
        assertThat(regular).hasSizeGreaterThan(8);
        for (Listed l : regular) {
            assertThat(l.sha256()).as("content of %s", l.path()).isEqualTo(sha256(out.resolve(l.path())));
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(Listed.newSha256().digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
