package dev.ocitree.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The files of an OCI image layout directory; symlinks are not followed out of it. */
record DirectoryStore(Path root) implements ContentStore {

    @Override
    public FileRegion region(String member) {
        Path file = root.resolve(member);
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new OciFormatException(file.toString(), "resolves outside the layout directory " + root);
            }
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                return null;
            }
            return new FileRegion(real, 0, attrs.size(), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String location() {
        return root.toString();
    }
}
