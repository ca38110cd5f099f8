package dev.ocitree.ostree.repo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The repository's {@code config}: a GLib key file. Reads the keys ocitree honours with ostree's
 * defaults (OSTREE-FORMAT.md §3.2) and renders the exact file {@code ostree init} writes.
 */
final class RepoConfig {

    /** ostree's default {@code core.lock-timeout-secs}. */
    static final long DEFAULT_LOCK_TIMEOUT_SECONDS = 30;
    /** ostree's default {@code [archive] zlib-level}. */
    static final int DEFAULT_ZLIB_LEVEL = 6;

    private final Map<String, Map<String, String>> groups;

    private RepoConfig(Map<String, Map<String, String>> groups) {
        this.groups = groups;
    }

    /** The text {@code ostree init --mode=M} writes for a mode's config name. */
    static String initialText(String modeConfigName) {
        return "[core]\nrepo_version=1\nmode=" + modeConfigName + "\n";
    }

    /**
     * Parses a key file. Comments ({@code #}) and blank lines are skipped; keys before the first
     * group, or lines that are neither, make the config invalid.
     */
    static RepoConfig parse(Path repo, String text) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        Map<String, String> current = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = groups.computeIfAbsent(line.substring(1, line.length() - 1), g -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || current == null) {
                throw new InvalidRepositoryException(repo, "config line " + lineNo + " is not a key file entry: " + raw);
            }
            current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        RepoConfig config = new RepoConfig(groups);
        config.validate(repo);
        return config;
    }

    private void validate(Path repo) {
        String version = get("core", "repo_version");
        if (version == null) {
            throw new InvalidRepositoryException(repo, "config has no core.repo_version");
        }
        if (!version.equals("1")) {
            throw new InvalidRepositoryException(repo, "config has core.repo_version=" + version + ", expected 1");
        }
        if (bool(repo, "core", "archive", false)) {
            throw new UnknownRepoModeException(repo, "archive (legacy core.archive=true)");
        }
    }

    String get(String group, String key) {
        Map<String, String> g = groups.get(group);
        return g == null ? null : g.get(key);
    }

    /** {@code core.mode}; ostree's default is {@code bare}. */
    String mode() {
        String mode = get("core", "mode");
        return mode == null ? "bare" : mode;
    }

    /** {@code core.fsync} (default true): whether objects and refs are fsynced. */
    boolean fsync(Path repo) {
        return bool(repo, "core", "fsync", true);
    }

    /** Seconds to wait for the repository lock; 0 = try once. Locking off ({@code core.locking=false}) = -1. */
    long lockTimeoutSeconds(Path repo) {
        if (!bool(repo, "core", "locking", true)) {
            return -1;
        }
        String value = get("core", "lock-timeout-secs");
        if (value == null) {
            return DEFAULT_LOCK_TIMEOUT_SECONDS;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new InvalidRepositoryException(repo, "config core.lock-timeout-secs=" + value + " is not a number", e);
        }
    }

    /** {@code [archive] zlib-level}, clamped to 1..9 like ostree. */
    int zlibLevel(Path repo) {
        String value = get("archive", "zlib-level");
        if (value == null) {
            return DEFAULT_ZLIB_LEVEL;
        }
        try {
            return Math.min(9, Math.max(1, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            throw new InvalidRepositoryException(repo, "config archive.zlib-level=" + value + " is not a number", e);
        }
    }

    /** {@code core.collection-id}, or null. */
    String collectionId() {
        return get("core", "collection-id");
    }

    private boolean bool(Path repo, String group, String key, boolean dflt) {
        String value = get(group, key);
        if (value == null) {
            return dflt;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw new InvalidRepositoryException(repo, "config " + group + "." + key + "=" + value + " is not a boolean");
        }
    }
}
