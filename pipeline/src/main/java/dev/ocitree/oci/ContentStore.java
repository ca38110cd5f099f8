package dev.ocitree.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Where a source's files live: a directory ({@link DirectoryStore}) or the members of a tar file
 * ({@link TarMemberStore}). Member names are relative, {@code /}-separated and already validated by
 * {@link #checkMemberName}. Every method blocks: call it on the I/O scheduler.
 */
sealed interface ContentStore permits DirectoryStore, TarMemberStore {

    /** The member's region, or {@code null} when there is no such regular file. */
    FileRegion region(String member);

    /** How the user would locate the store in messages (the directory or archive path). */
    String location();

    /** Reads a whole member of at most {@code max} bytes; a missing member is {@code null}. */
    default byte[] readAll(String member, int max) {
        FileRegion region = region(member);
        if (region == null) {
            return null;
        }
        if (region.length() > max) {
            throw new OciFormatException(region.name(), "is " + region.length() + " bytes, more than the " + max
                    + " bytes accepted for a JSON document");
        }
        byte[] bytes = new byte[(int) region.length()];
        try (FileChannel channel = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, region.offset() + buffer.position()) < 0) {
                    throw new OciFormatException(region.name(), "truncated");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(region.name() + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    /** Rejects absolute names, empty, {@code .} and {@code ..} components: a document may not point outside its store. */
    static String checkMemberName(String member, String file) {
        String name = member.startsWith("./") ? member.substring(2) : member;
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw new OciFormatException(file, "names file '" + member + "' outside the image");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new OciFormatException(file, "names file '" + member + "' outside the image");
            }
        }
        return name;
    }
}
