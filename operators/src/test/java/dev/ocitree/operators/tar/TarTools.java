package dev.ocitree.operators.tar;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Writes tar archives with the real tools (GNU tar, bsdtar, Python's tarfile, umoci for Go's
 * archive/tar) and lists them with Python's tarfile, for the interop tests.
 */
final class TarTools {

    private TarTools() {
    }

    /** Runs {@code make_tree.py}: a deterministic tree ("full" or, storable in ustar, "ustar"). */
    static Path tree(Path work, String variant) {
        Path root = work.resolve("tree-" + variant);
        if (Files.isDirectory(root)) {
            return root;
        }
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PeerTools.runOk(work, "python3", script(work, "make_tree.py").toString(), root.toString(), variant);
        return root;
    }

    /** GNU tar of {@code tree}'s contents ({@code -C tree .}) in {@code format} (gnu, posix, ustar, v7...). */
    static Path gnuTar(Path tree, Path work, String format, String... options) {
        Path out = work.resolve("gnu-" + format + ".tar");
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-C", tree.toString(), "-cf", out.toString(), "."));
        PeerTools.runOk(work, cmd.toArray(String[]::new));
        return out;
    }

    /** bsdtar (libarchive) of {@code tree}'s contents in {@code format} (pax, ustar, gnutar). */
    static Path bsdtar(Path tree, Path work, String format) {
        Path out = work.resolve("bsdtar-" + format + ".tar");
        PeerTools.runOk(work, "bsdtar", "--format", format, "-C", tree.toString(), "-cf", out.toString(), ".");
        return out;
    }

    /** Runs {@code make_python_tar.py} in format gnu, pax or ustar. */
    static Path pythonTar(Path work, String format) {
        Path out = work.resolve("python-" + format + ".tar");
        PeerTools.runOk(work, "python3", script(work, "make_python_tar.py").toString(), out.toString(), format);
        return out;
    }

    private static final Pattern DIGEST = Pattern.compile("\"digest\"\\s*:\\s*\"sha256:([0-9a-f]{64})\"");

    /**
     * A layer written by Go's archive/tar: umoci creates an image, unpacks it, copies {@code tree}
     * into the rootfs and repacks it; the new layer (gzip) is decompressed to a tar.
     */
    static Path goTar(Path tree, Path work) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path layout = work.resolve("oci");
        Path bundle = work.resolve("bundle");
        PeerTools.runOk(work, "umoci", "init", "--layout", layout.toString());
        PeerTools.runOk(work, "umoci", "new", "--image", layout + ":t");
        PeerTools.runOk(work, "umoci", "unpack", "--rootless", "--image", layout + ":t", bundle.toString());
        PeerTools.runOk(work, "cp", "-a", tree + "/.", bundle.resolve("rootfs").toString());
        PeerTools.runOk(work, "umoci", "repack", "--image", layout + ":t", bundle.toString());
        try {
            String manifestDigest = lastDigest(Files.readString(layout.resolve("index.json")));
            String manifest = Files.readString(layout.resolve("blobs/sha256/" + manifestDigest));
            Path layer = layout.resolve("blobs/sha256/" + lastDigest(manifest));
            Path out = work.resolve("go.tar");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastDigest(String json) {
        Matcher m = DIGEST.matcher(json);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new AssertionError("no digest in " + json);
        }
        return last;
    }

    /** Python tarfile's listing of {@code archive} (see {@code tar_listing.py}). */
    static List<Listed> pythonListing(Path archive) {
        return Listed.fromPythonListing(pythonListingText(archive));
    }

    /** The raw output of {@code tar_listing.py} for {@code archive}. */
    static String pythonListingText(Path archive) {
        Path work = archive.getParent();
        return PeerTools.runOk(work, "python3", script(work, "tar_listing.py").toString(), archive.toString());
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path script(Path work, String name) {
        Path target = work.resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = TarTools.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new AssertionError("missing test resource " + name);
                }
                Files.copy(in, target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target;
    }
}
