package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.RepoMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code ostree checkout -U} (user mode): directories get their dirmeta permissions once their
 * content is in place; symlinks their target; no ownership, no xattrs. The destination must not
 * exist and its parent must (as with ostree). File modes are ostree's: a file ostree would
 * hard-link (not empty, owner-readable, not from an archive repository) gets the object's mode
 * ({@code mode & 0775} in bare-user, the canonical mode in bare-user-only), any other file
 * {@code (mode & ~06000) | 0400}. Only bare-user-only objects are hard-linked (same file system):
 * a bare-user object carries its real ownership and mode in {@code user.ostreemeta}, which must not
 * appear in the user's tree (nor may an edit there corrupt the object), so those are copied. Copies
 * are verified as they are written. Blocking.
 */
final class Checkout {

    private static final int SETID = 06000;

    private final OstreeRepository repo;
    private final LooseObjects objects;
    private final ContentObjects content;

    Checkout(OstreeRepository repo, LooseObjects objects, ContentObjects content) {
        this.repo = repo;
        this.objects = objects;
        this.content = content;
    }

    Void run(Checksum commitChecksum, Path dir) throws IOException {
        Commit commit = repo.loadCommitBlocking(commitChecksum);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "checkout destination already exists");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new NoSuchFileException(parent.toString(), null,
                    "the checkout destination's parent directory does not exist");
        }
        directory(commit.rootTree(), commit.rootMeta(), dir);
        return null;
    }

    private void directory(Checksum tree, Checksum meta, Path dir) throws IOException {
        Dirmeta dm = repo.loadDirmetaBlocking(meta);
        Dirtree dt = repo.loadDirtreeBlocking(tree);
        Files.createDirectory(dir);
        AtomicFiles.chmod(dir, 0700);
        for (Map.Entry<String, Checksum> e : dt.files().entrySet()) {
            file(e.getValue(), dir.resolve(e.getKey()));
        }
        for (Map.Entry<String, Dirtree.Subdir> e : dt.dirs().entrySet()) {
            directory(e.getValue().tree(), e.getValue().meta(), dir.resolve(e.getKey()));
        }
        AtomicFiles.chmod(dir, dm.mode() & 07777);
    }

    private void file(Checksum checksum, Path dest) throws IOException {
        ContentObjects.Stored stored = content.stat(checksum);
        FileMeta meta = stored.meta();
        if (meta.isSymlink()) {
            Files.createSymbolicLink(dest, Path.of(meta.symlinkTarget()));
            return;
        }
        int mode = meta.mode() & 07777;
        boolean ostreeLinks = objects.mode() != RepoMode.ARCHIVE && stored.size() > 0 && (mode & 0400) != 0;
        if (ostreeLinks && objects.mode() == RepoMode.BARE_USER_ONLY) {
            try {
                Files.createLink(dest, stored.path());
                return;
            } catch (FileSystemException e) {
                // another file system (EXDEV) or hard links refused: copy instead
            }
        }
        int perms = !ostreeLinks ? (mode & ~SETID) | 0400 : objects.mode() == RepoMode.BARE_USER ? mode & 0775 : mode;
        try (FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            content.copyTo(stored, out);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(dest);
            throw e;
        }
        AtomicFiles.chmod(dest, perms);
    }
}
