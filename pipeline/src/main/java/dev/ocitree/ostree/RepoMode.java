package dev.ocitree.ostree;

/** The repository storage modes ocitree writes (OSTREE-FORMAT.md §3.4). */
public enum RepoMode {
    /** Content objects stored as {@code .filez} (header + raw deflate); the mode to serve over HTTP. */
    ARCHIVE("archive-z2"),
    /** Plain files; uid/gid/mode/xattrs in the {@code user.ostreemeta} xattr; symlinks as files. */
    BARE_USER("bare-user"),
    /** Plain files with canonical permissions, uid = gid = 0, no xattrs; real symlinks. */
    BARE_USER_ONLY("bare-user-only");

    private final String configName;

    RepoMode(String configName) {
        this.configName = configName;
    }

    /** The value of {@code core.mode} in the repository's {@code config}. */
    public String configName() {
        return configName;
    }

    /**
     * The mode for a {@code core.mode} value; {@code archive} is accepted as an alias of
     * {@code archive-z2}.
     *
     * @throws OstreeFormatException for any other value (including {@code bare} and
     *     {@code bare-split-xattrs}, which ocitree does not support)
     */
    public static RepoMode fromConfigName(String name) {
        if ("archive".equals(name)) {
            return ARCHIVE;
        }
        for (RepoMode m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        throw new OstreeFormatException("unsupported repository mode '" + name
                + "' (supported: archive-z2, archive, bare-user, bare-user-only)");
    }
}
