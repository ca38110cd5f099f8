package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which refs a {@linkplain OstreeRepository#prune(PrunePolicy) prune} deletes before it deletes the
 * objects no remaining ref reaches. The policy runs under prune's exclusive lock, so no transaction
 * (an import in progress holds the shared lock from its first object to its last ref) can add or
 * need a ref between the decision and the deletion.
 */
@FunctionalInterface
public interface PrunePolicy {

    /** Deletes no ref: plain {@code ostree prune --refs-only}. */
    PrunePolicy KEEP_REFS = (refs, commits) -> List.of();

    /**
     * The refs to delete. Called once, on one of the repository's threads (blocking reads are
     * fine), with the exclusive lock held.
     *
     * @param refs    every ref ({@code name}, or {@code remote:name}) and the commit it names
     * @param commits loads a commit; null when it is missing or does not parse
     * @return refs to delete, a subset of {@code refs}' keys
     */
    Collection<String> refsToDelete(Map<String, Checksum> refs, Function<Checksum, Commit> commits);
}
