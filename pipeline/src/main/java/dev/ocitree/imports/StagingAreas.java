package dev.ocitree.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The staging areas of a repository ({@code tmp/ocitree-staging-*}, where imports write objects
 * before publishing them) and their sizes on disk, so {@link ImageStore#prune()} can report what a
 * killed import left behind and prune removed. Blocking; a file vanishing while it is measured
 * counts as 0.
 */
final class StagingAreas {

    private static final String PREFIX = "ocitree-staging-";

    private StagingAreas() {
    }

    /** Each staging directory and the bytes of the regular files under it. */
    static Map<Path, Long> sizes(Path repo) {
        Map<Path, Long> sizes = new HashMap<>();
        Path tmp = repo.resolve("tmp");
        if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
            return sizes;
        }
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> sizes.put(p, size(p)));
        } catch (IOException | UncheckedIOException e) {
            // tmp/ vanished or unreadable: nothing to report
        }
        return sizes;
    }

    private static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
