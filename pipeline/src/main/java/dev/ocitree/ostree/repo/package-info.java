/**
 * OSTree repositories on disk: {@code init}/{@code open} in the archive, bare-user and
 * bare-user-only modes, content-addressed atomic object writes, refs, commits, reads, checkout,
 * fsck and prune, with a lock compatible with a concurrent real {@code ostree}. The facade is
 * {@code OstreeRepository}; blocking file work runs on the bounded scheduler it owns.
 * See {@code docs/repository.md}.
 */
package dev.ocitree.ostree.repo;
