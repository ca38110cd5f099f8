/**
 * Reliability tests that run the real command line as separate processes: SIGKILL at random points
 * of imports and prunes, concurrent processes, bounded memory (docs/reliability.md).
 */
package dev.ocitree.reliability;
