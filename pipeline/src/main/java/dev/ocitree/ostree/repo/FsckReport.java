package dev.ocitree.ostree.repo;

import java.util.List;

/**
 * Outcome of {@link OstreeRepository#fsck()}.
 *
 * @param objectsChecked objects re-hashed (every loose object in {@code objects/})
 * @param commitsChecked commit objects whose trees were traversed
 * @param corrupt objects that do not hash to their name or do not parse, with the reason
 * @param missing objects referenced by a commit or ref but absent, with who referenced them
 */
public record FsckReport(long objectsChecked, long commitsChecked, List<Problem> corrupt, List<Problem> missing) {

    public FsckReport {
        corrupt = List.copyOf(corrupt);
        missing = List.copyOf(missing);
    }

    /** One finding: the object as {@code checksum.type} (or a ref) and what is wrong. */
    public record Problem(String object, String reason) {
        @Override
        public String toString() {
            return object + ": " + reason;
        }
    }

    /** Whether nothing is corrupt or missing. */
    public boolean ok() {
        return corrupt.isEmpty() && missing.isEmpty();
    }
}
