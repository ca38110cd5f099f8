package dev.ocitree.exports;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.operators.compress.Compression;
import dev.ocitree.ostree.Checksum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What the export of a commit made of its layer, remembered in the repository so that a push knows
 * the layer's digest before compressing it (to {@code HEAD} or mount it, and skip the work): one
 * line {@code LAYER_DIGEST LAYER_SIZE DIFF_ID TAR_SIZE} in
 * {@code REPO/extensions/ocitree/exported-layers/<commit>.<compression>.v1} (ostree keeps
 * {@code extensions/} for other tools' data). The export is deterministic, so the line is a pure
 * function of the commit, the compression and the tar format ({@code v1}); it is a cache: a
 * missing, unreadable or malformed file only means the layer is compressed again, and a file that
 * cannot be written (a read-only repository) is skipped. File work runs on {@code io}.
 */
final class ExportedLayers {

    private static final String FORMAT = "v1";

    private ExportedLayers() {
    }

    private static Path file(Path repo, Checksum commit, Compression compression) {
        return repo.resolve("extensions/ocitree/exported-layers")
                .resolve(commit.hex() + "." + compression.name().toLowerCase(Locale.ROOT) + "." + FORMAT);
    }

    /** The remembered layer, or empty. */
    static Mono<Optional<ExportResult.Layer>> find(Path repo, Checksum commit, Compression compression, Scheduler io) {
        return Mono.fromCallable(() -> {
            Path f = file(repo, commit, compression);
            if (!Files.isRegularFile(f) || Files.size(f) > 1024) {
                return Optional.<ExportResult.Layer>empty();
            }
            String[] parts = Files.readString(f, StandardCharsets.US_ASCII).strip().split(" ");
            try {
                if (parts.length == 4 && Descriptor.isDigest(parts[0]) && Descriptor.isDigest(parts[2])) {
                    return Optional.of(new ExportResult.Layer(parts[0], Long.parseLong(parts[1]), parts[2], Long.parseLong(parts[3])));
                }
            } catch (NumberFormatException malformed) {
                // compressed again
            }
            return Optional.<ExportResult.Layer>empty();
        }).onErrorResume(IOException.class, e -> Mono.just(Optional.empty())).subscribeOn(io);
    }

    /** Remembers {@code layer} (temp file and rename); failures are ignored. */
    static Mono<Void> remember(Path repo, Checksum commit, Compression compression, ExportResult.Layer layer, Scheduler io) {
        return Mono.<Void>fromCallable(() -> {
            Path f = file(repo, commit, compression);
            Files.createDirectories(f.getParent());
            Path temp = f.resolveSibling("." + f.getFileName() + "." + UUID.randomUUID());
            try {
                Files.writeString(temp, layer.digest() + " " + layer.size() + " " + layer.diffId() + " "
                        + layer.tarSize() + "\n", StandardCharsets.US_ASCII);
                Files.move(temp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return null;
        }).onErrorResume(IOException.class, e -> Mono.empty()).subscribeOn(io);
    }
}
