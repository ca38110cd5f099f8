package dev.ocitree.ostree.repo;

/**
 * Outcome of {@link OstreeRepository#prune()}.
 *
 * @param objectsTotal loose objects found before pruning
 * @param objectsDeleted objects deleted because no ref reaches them
 * @param bytesFreed sum of the deleted files' sizes
 */
public record PruneReport(long objectsTotal, long objectsDeleted, long bytesFreed) {
}
