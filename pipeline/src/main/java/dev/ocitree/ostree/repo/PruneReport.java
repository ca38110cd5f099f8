package dev.ocitree.ostree.repo;

import java.util.List;

/**
 * Outcome of {@link OstreeRepository#prune(PrunePolicy)}.
 *
 * @param objectsTotal        loose objects found before pruning
 * @param objectsDeleted      objects deleted because no ref reaches them
 * @param bytesFreed          sum of the deleted objects' sizes
 * @param refsDeleted         refs the policy chose and prune deleted, sorted
 * @param stagingAreasRemoved staging areas of dead processes removed ({@code tmp/ocitree-staging-*})
 * @param stagingBytesFreed   bytes those staging areas held
 */
public record PruneReport(long objectsTotal, long objectsDeleted, long bytesFreed, List<String> refsDeleted,
        int stagingAreasRemoved, long stagingBytesFreed) {

    public PruneReport {
        refsDeleted = List.copyOf(refsDeleted);
    }

    /** Objects and staging areas together: what the prune gave back to the file system. */
    public long totalBytesFreed() {
        return bytesFreed + stagingBytesFreed;
    }
}
