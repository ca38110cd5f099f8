package dev.ocitree.operators;

/**
 * Limits that protect every stage from hostile or broken input, in one immutable value (like
 * Jackson's {@code StreamReadConstraints}). Each setter returns a new instance and validates its
 * argument; {@link #defaults()} documents the defaults.
 *
 * <pre>{@code
 * StreamLimits limits = StreamLimits.defaults().maxEntrySize(1L << 30).maxExpansionRatio(200);
 * }</pre>
 */
public final class StreamLimits {

    private static final StreamLimits DEFAULTS = new StreamLimits(
            1 << 20, 4096, 1L << 40, 1000, 64L << 20, 64L << 20, 16L << 30, 1_000_000, 262_144);

    private final int maxHeaderBytes;
    private final int maxPathLength;
    private final long maxEntrySize;
    private final long maxExpansionRatio;
    private final long expansionGraceBytes;
    private final long maxBytesInFlight;
    private final long maxLayerBytes;
    private final long maxLayerEntries;
    private final int maxDirectoryEntries;

    private StreamLimits(int maxHeaderBytes, int maxPathLength, long maxEntrySize, long maxExpansionRatio,
            long expansionGraceBytes, long maxBytesInFlight, long maxLayerBytes, long maxLayerEntries,
            int maxDirectoryEntries) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxPathLength = maxPathLength;
        this.maxEntrySize = maxEntrySize;
        this.maxExpansionRatio = maxExpansionRatio;
        this.expansionGraceBytes = expansionGraceBytes;
        this.maxBytesInFlight = maxBytesInFlight;
        this.maxLayerBytes = maxLayerBytes;
        this.maxLayerEntries = maxLayerEntries;
        this.maxDirectoryEntries = maxDirectoryEntries;
    }

    /**
     * The defaults: 1 MiB for one tar extended header (PAX record or GNU long name), 4096 bytes for
     * a path or link target, 1 TiB for one entry, a decompressed/compressed ratio of 1000 (checked
     * once 64 MiB have been decompressed), 64 MiB of bytes in flight per pipeline, 16 GiB of
     * uncompressed tar and 1,000,000 entries per layer, 262,144 entries per directory.
     */
    public static StreamLimits defaults() {
        return DEFAULTS;
    }

    /** Largest PAX extended header or GNU long name/link record, in bytes. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public StreamLimits maxHeaderBytes(int bytes) {
        return new StreamLimits(positive(bytes, "maxHeaderBytes"), maxPathLength, maxEntrySize, maxExpansionRatio,
                expansionGraceBytes, maxBytesInFlight, maxLayerBytes, maxLayerEntries,
                maxDirectoryEntries);
    }

    /** Longest entry path or link target, in UTF-8 bytes. */
    public int maxPathLength() {
        return maxPathLength;
    }

    public StreamLimits maxPathLength(int bytes) {
        return new StreamLimits(maxHeaderBytes, positive(bytes, "maxPathLength"), maxEntrySize, maxExpansionRatio,
                expansionGraceBytes, maxBytesInFlight, maxLayerBytes, maxLayerEntries,
                maxDirectoryEntries);
    }

    /** Largest size of one tar entry's content, in bytes. */
    public long maxEntrySize() {
        return maxEntrySize;
    }

    public StreamLimits maxEntrySize(long bytes) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, positive(bytes, "maxEntrySize"), maxExpansionRatio,
                expansionGraceBytes, maxBytesInFlight, maxLayerBytes, maxLayerEntries,
                maxDirectoryEntries);
    }

    /** Largest ratio of decompressed to compressed bytes (a decompression bomb exceeds it). */
    public long maxExpansionRatio() {
        return maxExpansionRatio;
    }

    public StreamLimits maxExpansionRatio(long ratio) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, positive(ratio, "maxExpansionRatio"),
                expansionGraceBytes, maxBytesInFlight, maxLayerBytes, maxLayerEntries,
                maxDirectoryEntries);
    }

    /** Decompressed bytes allowed before {@link #maxExpansionRatio()} is enforced. */
    public long expansionGraceBytes() {
        return expansionGraceBytes;
    }

    public StreamLimits expansionGraceBytes(long bytes) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, maxExpansionRatio,
                nonNegative(bytes, "expansionGraceBytes"), maxBytesInFlight, maxLayerBytes, maxLayerEntries,
                maxDirectoryEntries);
    }

    /** Bytes that one pipeline may hold in buffers at once; this, not the image size, bounds memory. */
    public long maxBytesInFlight() {
        return maxBytesInFlight;
    }

    public StreamLimits maxBytesInFlight(long bytes) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, maxExpansionRatio, expansionGraceBytes,
                positive(bytes, "maxBytesInFlight"), maxLayerBytes, maxLayerEntries, maxDirectoryEntries);
    }

    /**
     * Largest uncompressed size of one layer (the whole tar stream), in bytes: a decompression bomb
     * under the ratio limit (say 480:1) stops here, before the disk fills.
     */
    public long maxLayerBytes() {
        return maxLayerBytes;
    }

    public StreamLimits maxLayerBytes(long bytes) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, maxExpansionRatio, expansionGraceBytes,
                maxBytesInFlight, positive(bytes, "maxLayerBytes"), maxLayerEntries, maxDirectoryEntries);
    }

    /** Most tar entries (files, directories, links, whiteouts; not extended headers) in one layer. */
    public long maxLayerEntries() {
        return maxLayerEntries;
    }

    public StreamLimits maxLayerEntries(long entries) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, maxExpansionRatio, expansionGraceBytes,
                maxBytesInFlight, maxLayerBytes, positive(entries, "maxLayerEntries"), maxDirectoryEntries);
    }

    /**
     * Most entries of one directory of a tree being built: a dirtree is held and serialised whole,
     * so this bounds its memory (about 200 bytes an entry while a layer is imported and merged).
     */
    public int maxDirectoryEntries() {
        return maxDirectoryEntries;
    }

    public StreamLimits maxDirectoryEntries(int entries) {
        return new StreamLimits(maxHeaderBytes, maxPathLength, maxEntrySize, maxExpansionRatio, expansionGraceBytes,
                maxBytesInFlight, maxLayerBytes, maxLayerEntries, positive(entries, "maxDirectoryEntries"));
    }

    private static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    private static int positive(int value, String name) {
        return (int) positive((long) value, name);
    }

    private static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "StreamLimits{maxHeaderBytes=" + maxHeaderBytes + ", maxPathLength=" + maxPathLength
                + ", maxEntrySize=" + maxEntrySize + ", maxExpansionRatio=" + maxExpansionRatio
                + ", expansionGraceBytes=" + expansionGraceBytes + ", maxBytesInFlight=" + maxBytesInFlight
                + ", maxLayerBytes=" + maxLayerBytes + ", maxLayerEntries=" + maxLayerEntries
                + ", maxDirectoryEntries=" + maxDirectoryEntries + '}';
    }
}
