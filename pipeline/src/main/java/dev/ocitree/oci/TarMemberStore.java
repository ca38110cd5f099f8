package dev.ocitree.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The members of an uncompressed tar file (an {@code oci-archive} or {@code docker-archive}), indexed
 * once by their data offsets so every member is read in place: nothing is extracted or staged.
 * Later members of the same name win, as when the tar is extracted.
 *
 * <p>Symlink members ({@code docker save} writes a repeated layer as
 * {@code b/layer.tar -> ../a/layer.tar}) are followed to the regular member they name, relative to
 * the link's directory, through at most {@link #MAX_LINK_HOPS} links; a target that leaves the
 * archive (an absolute path, {@code ..} above its root), loops or names no regular member is an
 * {@link OciFormatException} naming the link.
 */
final class TarMemberStore implements ContentStore {

    static final int MAX_LINK_HOPS = 16;

    private final Path archive;
    private final Map<String, FileRegion> members;
    private final Map<String, String> links;

    private TarMemberStore(Path archive, Map<String, FileRegion> members, Map<String, String> links) {
        this.archive = archive;
        this.members = members;
        this.links = links;
    }

    /** Reads the archive's headers (blocking). */
    static TarMemberStore index(Path archive) {
        Map<String, FileRegion> members = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        try (TarFile tar = new TarFile(archive)) {
            for (TarArchiveEntry entry : tar.getEntries()) {
                String name = entry.getName();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                links.remove(name);
                members.remove(name);
                if (entry.isSymbolicLink()) {
                    links.put(name, entry.getLinkName());
                } else if (entry.isFile() && !entry.isSparse()) {
                    members.put(name, new FileRegion(archive, entry.getDataOffset(), entry.getSize(), archive + ":" + name));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new OciFormatException(archive.toString(), "not a readable tar archive: " + e.getMessage(), e);
        }
        if (members.isEmpty()) {
            throw new OciFormatException(archive.toString(), "is an empty or non-tar file");
        }
        return new TarMemberStore(archive, Map.copyOf(members), Map.copyOf(links));
    }

    @Override
    public FileRegion region(String member) {
        String name = member;
        for (int hops = 0; ; hops++) {
            FileRegion region = members.get(name);
            if (region != null) {
                return name.equals(member) ? region
                        : new FileRegion(region.file(), region.offset(), region.length(), archive + ":" + member);
            }
            String target = links.get(name);
            if (target == null) {
                if (hops == 0) {
                    return null;
                }
                throw new OciFormatException(archive + ":" + member, "is a symlink to '" + name
                        + "', which is no regular member of the archive");
            }
            if (hops == MAX_LINK_HOPS) {
                throw new OciFormatException(archive + ":" + member, "is a symlink through more than "
                        + MAX_LINK_HOPS + " links (a loop?)");
            }
            name = resolve(member, name, target);
        }
    }

    /** {@code target} of the link {@code link}, relative to its directory, kept inside the archive. */
    private String resolve(String member, String link, String target) {
        if (target.startsWith("/")) {
            throw new OciFormatException(archive + ":" + member, "is a symlink to the absolute path '" + target
                    + "', outside the archive");
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        int slash = link.lastIndexOf('/');
        if (slash > 0) {
            for (String p : link.substring(0, slash).split("/")) {
                if (!p.isEmpty() && !p.equals(".")) {
                    parts.addLast(p);
                }
            }
        }
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new OciFormatException(archive + ":" + member, "is a symlink to '" + target
                            + "', which leaves the archive");
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public String location() {
        return archive.toString();
    }
}
