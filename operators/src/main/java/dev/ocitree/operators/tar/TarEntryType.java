package dev.ocitree.operators.tar;

/**
 * The kinds of tar entries {@link TarParser} reports. Only {@link #REGULAR} entries have content; the
 * others are header-only (a size in their header is ignored, as Go's {@code archive/tar} and Python's
 * {@code tarfile} do).
 */
public enum TarEntryType {
    /** A regular file: type flags {@code '0'}, {@code '\0'} (old tar) and {@code '7'} (contiguous file). */
    REGULAR,
    /** Type flag {@code '5'}, or an old-tar {@code '\0'} entry whose name ends with {@code '/'}. */
    DIRECTORY,
    /** Type flag {@code '2'}; {@link TarEntry#linkTarget()} is the link's target, as written. */
    SYMLINK,
    /** Type flag {@code '1'}; {@link TarEntry#linkTarget()} names an earlier entry of the archive. */
    HARDLINK,
    /** Type flag {@code '3'}, with {@link TarEntry#devMajor()} and {@link TarEntry#devMinor()}. */
    CHAR_DEVICE,
    /** Type flag {@code '4'}, with {@link TarEntry#devMajor()} and {@link TarEntry#devMinor()}. */
    BLOCK_DEVICE,
    /** Type flag {@code '6'}. */
    FIFO
}
