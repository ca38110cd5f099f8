package dev.ocitree.imports;

import dev.ocitree.oci.Platform;
import dev.ocitree.operators.StreamLimits;
import dev.ocitree.operators.tar.TarEvent;
import dev.ocitree.ostree.repo.WriteOptions;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * How an image is imported; immutable, every setter returns a new instance and validates.
 *
 * <pre>{@code
 * ImportOptions.defaults().branch("example").concurrency(4).platform(Platform.parse("linux/arm64"))
 *         .write(WriteOptions.defaults().scheduler(myBoundedScheduler))
 *         .tarStage(TarStages.dropEntries(e -> e.path().startsWith("usr/share/doc/")))
 * }</pre>
 */
public final class ImportOptions {

    private static final ImportOptions DEFAULTS = new ImportOptions(null, null,
            Math.max(1, Runtime.getRuntime().availableProcessors()), StreamLimits.defaults(), WriteOptions.defaults(),
            Function.identity(), false);

    private final Platform platform;
    private final String branch;
    private final int concurrency;
    private final StreamLimits limits;
    private final WriteOptions write;
    private final Function<Flux<TarEvent>, Flux<TarEvent>> tarStage;
    private final boolean replace;

    private ImportOptions(Platform platform, String branch, int concurrency, StreamLimits limits, WriteOptions write,
            Function<Flux<TarEvent>, Flux<TarEvent>> tarStage, boolean replace) {
        this.platform = platform;
        this.branch = branch;
        this.concurrency = concurrency;
        this.limits = limits;
        this.write = write;
        this.tarStage = tarStage;
        this.replace = replace;
    }

    /**
     * This machine's platform, no branch, one layer at a time per core, {@link StreamLimits#defaults()},
     * {@link WriteOptions#defaults()} (the repository's own threads), no tar stage of the user's.
     */
    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    /** The platform to pick from an index (default: {@link Platform#current()}). */
    public Platform platform() {
        return platform == null ? Platform.current() : platform;
    }

    public ImportOptions platform(Platform p) {
        return new ImportOptions(Objects.requireNonNull(p, "platform"), branch, concurrency, limits, write, tarStage, replace);
    }

    /** A user ref to point at the merged commit as well ({@code -b}), or {@code null}. */
    public String branch() {
        return branch;
    }

    public ImportOptions branch(String ref) {
        return new ImportOptions(platform, ref == null ? null : ContainerRefs.requireValidRef(ref), concurrency, limits,
                write, tarStage, replace);
    }

    /** How many layers are read, decompressed and written at once. */
    public int concurrency() {
        return concurrency;
    }

    public ImportOptions concurrency(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + layers);
        }
        return new ImportOptions(platform, branch, layers, limits, write, tarStage, replace);
    }

    /** Limits of every stage; {@link StreamLimits#maxBytesInFlight()} is shared by the concurrent layers. */
    public StreamLimits limits() {
        return limits;
    }

    public ImportOptions limits(StreamLimits l) {
        return new ImportOptions(platform, branch, concurrency, Objects.requireNonNull(l, "limits"), write, tarStage, replace);
    }

    /**
     * How objects are written: the scheduler that runs every file-system call of the import (object
     * writes, tree loads for reused layers, the merge, commits) and the writes in flight per layer.
     */
    public WriteOptions write() {
        return write;
    }

    public ImportOptions write(WriteOptions w) {
        return new ImportOptions(platform, branch, concurrency, limits, Objects.requireNonNull(w, "write"), tarStage, replace);
    }

    /**
     * A stage of the user's between the tar parser and the object writes of every layer: it may
     * drop, add or rewrite entries (see {@code TarStages}); whiteouts it lets through still apply
     * in the merge. It must keep the event grammar (entry, content, end) and owns every
     * {@link TarEvent.Content} it receives: it releases what it drops. Default: identity.
     */
    public Function<Flux<TarEvent>, Flux<TarEvent>> tarStage() {
        return tarStage;
    }

    public ImportOptions tarStage(Function<Flux<TarEvent>, Flux<TarEvent>> stage) {
        return new ImportOptions(platform, branch, concurrency, limits, write, Objects.requireNonNull(stage, "stage"), replace);
    }

    /**
     * Whether the import may move an image name that already names a different image (another
     * manifest digest); without it such an import fails with {@link ImageNameTakenException}
     * before reading any layer. Re-importing the same image under its name is always allowed.
     */
    public boolean replace() {
        return replace;
    }

    public ImportOptions replace(boolean move) {
        return new ImportOptions(platform, branch, concurrency, limits, write, tarStage, move);
    }

    @Override
    public String toString() {
        return "ImportOptions{platform=" + platform() + ", branch=" + branch + ", concurrency=" + concurrency
                + ", limits=" + limits + ", write=" + write + ", replace=" + replace + '}';
    }
}
