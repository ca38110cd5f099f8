package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;

/**
 * One archive entry in a form both sides can produce: the parser (from its events) and Python's
 * tarfile (from {@code tar_listing.py}'s output). Content is compared by SHA-256.
 */
record Listed(String path, TarEntryType type, long size, int mode, long uid, long gid, String userName,
        String groupName, long mtime, String linkTarget, int devMajor, int devMinor, String xattrs, String sha256,
        long headerOffset) {

    private static final HexFormat HEX = HexFormat.of();

    /** Offsets of the first header of each entry (its first extension header), by entry path. */
    static Map<String, Long> firstHeaderOffsets(String listing) {
        return listing.lines().map(l -> l.split("\t", -1))
                .collect(Collectors.toMap(f -> fromPythonLine(String.join("\t", f)).path(), f -> Long.parseLong(f[15])));
    }

    /** Parses one line of {@code tar_listing.py}, applying the documented path normalisation. */
    static Listed fromPythonLine(String line) {
        String[] f = line.split("\t", -1);
        assertThat(f).as("listing line %s", line).hasSize(16);
        TarEntryType type = TarEntryType.valueOf(f[1]);
        String link = text(f[9]);
        return new Listed(normalise(text(f[0]), type), type, type == TarEntryType.REGULAR ? Long.parseLong(f[2]) : 0,
                Integer.parseInt(f[3], 8), Long.parseLong(f[4]), Long.parseLong(f[5]), text(f[6]), text(f[7]),
                Long.parseLong(f[8]),
                type == TarEntryType.HARDLINK ? stripDotSlash(link)
                        : type == TarEntryType.SYMLINK ? link : null,
                Integer.parseInt(f[10]), Integer.parseInt(f[11]), f[12], f[13], Long.parseLong(f[14]));
    }

    static List<Listed> fromPythonListing(String listing) {
        return listing.lines().map(Listed::fromPythonLine).toList();
    }

    /** The test's own statement of TarEntry's path rule: no leading "./", no trailing "/", root ".". */
    private static String normalise(String name, TarEntryType type) {
        String p = stripDotSlash(name);
        if (type == TarEntryType.DIRECTORY) {
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
        }
        return p.isEmpty() ? "." : p;
    }

    private static String stripDotSlash(String name) {
        String p = name;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    private static String text(String hex) {
        return hex.equals("-") ? "" : new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    static Listed of(TarEntry e, String sha256) {
        String xattrs = e.xattrs().isEmpty() ? "-" : e.xattrs().entrySet().stream()
                .map(x -> HEX.formatHex(x.getKey().getBytes(StandardCharsets.UTF_8)) + "=" + HEX.formatHex(x.getValue()))
                .sorted()
                .collect(Collectors.joining(","));
        return new Listed(e.path(), e.type(), e.size(), e.mode(), e.uid(), e.gid(), e.userName(), e.groupName(),
                e.mtimeSeconds(), e.linkTarget(), e.devMajor(), e.devMinor(), xattrs, sha256, e.headerOffset());
    }

    /**
     * Runs the parser over {@code chunks} and lists what it reports, checking the event grammar
     * (Entry, Content*, EntryEnd of the same entry, content adding up to the size) and releasing every
     * content slice.
     */
    static List<Listed> parse(Flux<ByteBuf> chunks, StreamLimits limits) {
        List<Listed> out = new ArrayList<>();
        Collector c = new Collector(out);
        chunks.transform(TarParser.parse(limits)).doOnNext(c::accept).blockLast(Duration.ofMinutes(2));
        assertThat(c.current).as("entry still open at completion").isNull();
        return out;
    }

    /**
     * Drives {@link TarPushParser} directly (no Reactor) over {@code tar} cut in two at {@code at}:
     * for sweeps over every split position, where the stage's plumbing would only add time.
     */
    static List<Listed> pushParse(byte[] tar, int at, ChunkPlan.Kind kind) {
        List<Listed> out = new ArrayList<>();
        Collector c = new Collector(out);
        TarPushParser parser = new TarPushParser(StreamLimits.defaults());
        List<ByteBuf> fed = new ArrayList<>();
        for (int[] range : new int[][] {{0, at}, {at, tar.length}}) {
            if (range[1] > range[0]) {
                assertThat(parser.needsInput()).isTrue();
                ByteBuf chunk = kind.copy(tar, range[0], range[1]);
                fed.add(chunk);
                parser.feed(chunk);
                for (TarEvent e = parser.next(); e != TarPushParser.NEED_MORE_INPUT; e = parser.next()) {
                    c.accept(e);
                }
            }
        }
        parser.endOfInput();
        assertThat(parser.next()).as("end of archive").isNull();
        assertThat(c.current).as("entry still open at completion").isNull();
        assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).as("fed chunk released").isZero());
        return out;
    }

    static List<Listed> parse(byte[] tar, ChunkPlan plan) {
        return parse(plan.chunks(tar), StreamLimits.defaults());
    }

    /** Accumulates events into listings; content is hashed and released. */
    static final class Collector {
        private final List<Listed> out;
        private TarEntry current;
        private MessageDigest digest;
        private long contentBytes;

        Collector(List<Listed> out) {
            this.out = out;
        }

        void accept(TarEvent event) {
            if (event instanceof TarEvent.Entry e) {
                assertThat(current).as("Entry while %s is open", current).isNull();
                current = e.entry();
                digest = newSha256();
                contentBytes = 0;
            } else if (event instanceof TarEvent.Content c) {
                try {
                    assertThat(current).as("Content outside an entry").isNotNull();
                    assertThat(c.data().readableBytes()).isPositive();
                    contentBytes += c.data().readableBytes();
                    digest.update(c.data().nioBuffer());
                } finally {
                    c.release();
                }
            } else if (event instanceof TarEvent.EntryEnd end) {
                assertThat(end.entry()).isSameAs(current);
                assertThat(contentBytes).as("content of %s", current.path()).isEqualTo(current.size());
                out.add(of(current, current.type() == TarEntryType.REGULAR ? HEX.formatHex(digest.digest()) : "-"));
                current = null;
            }
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Listed> byPath(List<Listed> list) {
        return list.stream().collect(Collectors.toMap(Listed::path, l -> l, (a, b) -> b));
    }
}
