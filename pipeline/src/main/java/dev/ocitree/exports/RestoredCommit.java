package dev.ocitree.exports;

import dev.ocitree.ostree.Checksum;
import java.util.List;

/**
 * A commit an import stored under its original checksum.
 *
 * @param commit the commit (the checksum the image announced)
 * @param refs   the refs pointed at it
 * @param source {@code ocitree} (the commit object travelled in the image) or {@code flatpak}
 *               (rebuilt from flatpak's labels)
 */
public record RestoredCommit(Checksum commit, List<String> refs, String source) {

    public RestoredCommit {
        refs = List.copyOf(refs);
    }
}
