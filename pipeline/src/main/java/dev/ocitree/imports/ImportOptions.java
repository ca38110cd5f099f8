package dev.ocitree.imports;

import dev.ocitree.oci.Platform;
import dev.ocitree.operators.StreamLimits;
import java.util.Objects;

/**
 * How an image is imported; immutable, every setter returns a new instance and validates.
 *
 * <pre>{@code
 * ImportOptions.defaults().branch("example").concurrency(4).platform(Platform.parse("linux/arm64"))
 * }</pre>
 */
public final class ImportOptions {

    private static final ImportOptions DEFAULTS = new ImportOptions(null, null,
            Math.max(1, Runtime.getRuntime().availableProcessors()), StreamLimits.defaults(), false);

    private final Platform platform;
    private final String branch;
    private final int concurrency;
    private final StreamLimits limits;
    private final boolean replace;

    private ImportOptions(Platform platform, String branch, int concurrency, StreamLimits limits, boolean replace) {
        this.platform = platform;
        this.branch = branch;
        this.concurrency = concurrency;
        this.limits = limits;
        this.replace = replace;
    }

    /** This machine's platform, no branch, one layer at a time per core, {@link StreamLimits#defaults()}. */
    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    /** The platform to pick from an index (default: {@link Platform#current()}). */
    public Platform platform() {
        return platform == null ? Platform.current() : platform;
    }

    public ImportOptions platform(Platform p) {
        return new ImportOptions(Objects.requireNonNull(p, "platform"), branch, concurrency, limits, replace);
    }

    /** A user ref to point at the merged commit as well ({@code -b}), or {@code null}. */
    public String branch() {
        return branch;
    }

    public ImportOptions branch(String ref) {
        return new ImportOptions(platform, ref == null ? null : ContainerRefs.requireValidRef(ref), concurrency, limits, replace);
    }

    /** How many layers are read, decompressed and written at once. */
    public int concurrency() {
        return concurrency;
    }

    public ImportOptions concurrency(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + layers);
        }
        return new ImportOptions(platform, branch, layers, limits, replace);
    }

    /** Limits of every stage; {@link StreamLimits#maxBytesInFlight()} is shared by the concurrent layers. */
    public StreamLimits limits() {
        return limits;
    }

    public ImportOptions limits(StreamLimits l) {
        return new ImportOptions(platform, branch, concurrency, Objects.requireNonNull(l, "limits"), replace);
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
        return new ImportOptions(platform, branch, concurrency, limits, move);
    }

    @Override
    public String toString() {
        return "ImportOptions{platform=" + platform() + ", branch=" + branch + ", concurrency=" + concurrency
                + ", limits=" + limits + ", replace=" + replace + '}';
    }
}
