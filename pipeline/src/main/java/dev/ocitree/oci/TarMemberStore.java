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
 */
final class TarMemberStore implements ContentStore {

    private final Path archive;
    private final Map<String, FileRegion> members;

    private TarMemberStore(Path archive, Map<String, FileRegion> members) {
        this.archive = archive;
        this.members = members;
    }

    /** Reads the archive's headers (blocking). */
    static TarMemberStore index(Path archive) {
        Map<String, FileRegion> members = new HashMap<>();
        try (TarFile tar = new TarFile(archive)) {
            for (TarArchiveEntry entry : tar.getEntries()) {
                String name = entry.getName();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (entry.isFile() && !entry.isSparse()) {
                    members.put(name, new FileRegion(archive, entry.getDataOffset(), entry.getSize(), archive + ":" + name));
                } else {
                    members.remove(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new OciFormatException(archive.toString(), "not a readable tar archive: " + e.getMessage(), e);
        }
        if (members.isEmpty()) {
            throw new OciFormatException(archive.toString(), "is an empty or non-tar file");
        }
        return new TarMemberStore(archive, Map.copyOf(members));
    }

    @Override
    public FileRegion region(String member) {
        return members.get(member);
    }

    @Override
    public String location() {
        return archive.toString();
    }
}
