package dev.ocitree.imports;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which content objects are symlinks, and to what: learnt while layers are written, and looked up
 * in the repository for objects of reused layers. The merge asks only when a layer implies a
 * directory where a lower layer has a file. Thread-safe (layers run concurrently).
 */
final class SymlinkTargets implements Function<Checksum, String> {

    private final OstreeRepository repo;
    private final Map<Checksum, Optional<String>> known = new ConcurrentHashMap<>();

    SymlinkTargets(OstreeRepository repo) {
        this.repo = repo;
    }

    void regular(Checksum checksum) {
        known.put(checksum, Optional.empty());
    }

    void symlink(Checksum checksum, String target) {
        known.put(checksum, Optional.of(target));
    }

    /**
     * The symlink target of {@code checksum}, or {@code null}; reads the object's metadata when it
     * was not seen being written (blocking: the merge calls it on the transaction's scheduler).
     */
    @Override
    public String apply(Checksum checksum) {
        return known.computeIfAbsent(checksum, c -> {
            FileMeta meta = repo.readFileMeta(c);
            return Optional.ofNullable(meta.isSymlink() ? meta.symlinkTarget() : null);
        }).orElse(null);
    }
}
