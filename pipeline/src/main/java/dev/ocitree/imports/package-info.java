/**
 * Importing OCI images into an OSTree repository: one commit per layer (under
 * {@code ostree/container/blob/…}, layer content as it is) and a merged commit with OCI whiteout
 * semantics (under {@code ostree/container/image/…}); the ref scheme is {@link dev.ocitree.imports.ContainerRefs}.
 */
package dev.ocitree.imports;
