package dev.ocitree.ostree.repo;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Ref name rules of OSTree (OSTREE-FORMAT.md §4.1): fragments {@code [\w\d][-._\w\d]*} separated by
 * single slashes, {@code \w} Unicode-aware; an optional {@code remote:} prefix names a remote ref.
 */
final class RefNames {

    private static final String FRAGMENT = "[\\w\\d][-._\\w\\d]*";
    private static final Pattern REF = Pattern.compile("(" + FRAGMENT + "/)*" + FRAGMENT, Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern REMOTE = Pattern.compile(FRAGMENT, Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{64}");

    private RefNames() {
    }

    /** A parsed refspec: {@code remote} is null for a local branch. */
    record RefSpec(String remote, String ref) {
        /** Path of the ref file relative to the repository. */
        String relativePath() {
            return remote == null ? "refs/heads/" + ref : "refs/remotes/" + remote + "/" + ref;
        }

        @Override
        public String toString() {
            return remote == null ? ref : remote + ":" + ref;
        }
    }

    /** Parses and validates {@code [remote:]ref}. */
    static RefSpec parse(Path repo, String spec) {
        int colon = spec.indexOf(':');
        String remote = colon < 0 ? null : spec.substring(0, colon);
        String ref = colon < 0 ? spec : spec.substring(colon + 1);
        if (remote != null && !REMOTE.matcher(remote).matches()) {
            throw new InvalidRefException(repo, spec, "remote name '" + remote + "' is not a valid fragment");
        }
        if (!REF.matcher(ref).matches()) {
            throw new InvalidRefException(repo, spec,
                    "must be fragments [\\w\\d][-._\\w\\d]* separated by single '/'");
        }
        return new RefSpec(remote, ref);
    }

    static boolean isChecksum(String s) {
        return CHECKSUM.matcher(s).matches();
    }
}
