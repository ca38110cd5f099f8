/**
 * The embeddable facade: {@link dev.ocitree.Ocitree#open} a repository, then
 * {@link dev.ocitree.Ocitree#importImage import} images into it and manage them.
 */
package dev.ocitree;
