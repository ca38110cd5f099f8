package dev.ocitree.ostree;

/** The OSTree object types and their loose-object file suffixes (OSTREE-FORMAT.md §2.1, §3.3). */
public enum ObjectType {
    /** A content object: a regular file or a symlink. */
    FILE("file"),
    /** {@code (a(say)a(sayay))}. */
    DIR_TREE("dirtree"),
    /** {@code (uuua(ayay))}. */
    DIR_META("dirmeta"),
    /** {@code (a{sv}aya(say)sstayay)}. */
    COMMIT("commit"),
    /** Detached commit metadata {@code a{sv}}, named after its commit. */
    COMMIT_META("commitmeta"),
    /** Marker left by deleting a commit, named after the deleted commit. */
    TOMBSTONE_COMMIT("tombstone-commit");

    private final String extension;

    ObjectType(String extension) {
        this.extension = extension;
    }

    /** The loose-object suffix; for {@link #FILE} the bare-mode one ({@code file}). */
    public String extension() {
        return extension;
    }

    /** The loose-object suffix in a repository of {@code mode}: archive stores files as {@code filez}. */
    public String extension(RepoMode mode) {
        return this == FILE && mode == RepoMode.ARCHIVE ? "filez" : extension;
    }

    /** Whether this is a metadata object (stored byte-identically in every mode). */
    public boolean isMetadata() {
        return this != FILE;
    }

    /** Whether the object's name is the SHA-256 of its bytes (dirtree, dirmeta, commit). */
    public boolean isContentAddressedMetadata() {
        return this == DIR_TREE || this == DIR_META || this == COMMIT;
    }

    /**
     * The path of a loose object relative to the repository root, e.g.
     * {@code objects/96/64601a…6964.commit}; also the path under which an HTTP server serves it.
     */
    public String relativePath(Checksum checksum, RepoMode mode) {
        String hex = checksum.hex();
        return "objects/" + hex.substring(0, 2) + "/" + hex.substring(2) + "." + extension(mode);
    }

    /**
     * The type for a loose-object suffix ({@code filez} maps to {@link #FILE}).
     *
     * @throws OstreeFormatException for an unknown suffix
     */
    public static ObjectType fromExtension(String extension) {
        if ("filez".equals(extension)) {
            return FILE;
        }
        for (ObjectType t : values()) {
            if (t.extension.equals(extension)) {
                return t;
            }
        }
        throw new OstreeFormatException("unknown object suffix '." + extension + "'");
    }
}
