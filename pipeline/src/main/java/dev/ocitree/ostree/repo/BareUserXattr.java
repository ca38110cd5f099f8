package dev.ocitree.ostree.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The {@code user.ostreemeta} extended attribute of bare-user objects, read and written through
 * the JDK's user-defined attribute view (names there omit the {@code user.} prefix). Blocking.
 */
final class BareUserXattr {

    static final String NAME = "ostreemeta";

    private BareUserXattr() {
    }

    /** Fails with a clear error when the repository's file system cannot store user xattrs. */
    static void checkSupported(Path repo) {
        Path probe = repo.resolve("tmp").resolve("ocitree-xattr-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            try {
                write(repo, probe, new byte[] {1});
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new RepositoryException(repo, "cannot create a probe file in tmp/: " + e.getMessage(), e);
        }
    }

    /** Linux's XATTR_SIZE_MAX: the largest value of one extended attribute (setxattr fails with E2BIG past it). */
    static final int MAX_VALUE_BYTES = 65536;

    static void write(Path repo, Path file, byte[] value) throws IOException {
        if (value.length > MAX_VALUE_BYTES) {
            throw new RepositoryException(repo, "the metadata of " + repo.relativize(file) + " (uid, gid, mode and"
                    + " xattrs, stored in the user.ostreemeta extended attribute) is " + value.length + " bytes, more than"
                    + " the " + MAX_VALUE_BYTES + " bytes Linux allows in one extended attribute (E2BIG): too many or too"
                    + " large xattrs for a bare-user repository; an archive or bare-user-only repository can hold it");
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        try {
            if (view == null) {
                throw new IOException("no user-defined attribute view");
            }
            view.write(NAME, ByteBuffer.wrap(value));
        } catch (FileSystemException | UnsupportedOperationException e) {
            throw new RepositoryException(repo, "the file system of " + repo + " does not support user extended"
                    + " attributes (user.ostreemeta), which bare-user repositories need: " + e.getMessage(), e);
        }
    }

    /** The attribute's value, or null when the file has none. */
    static byte[] read(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null || !view.list().contains(NAME)) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate(view.size(NAME));
        view.read(NAME, buf);
        buf.flip();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }
}
