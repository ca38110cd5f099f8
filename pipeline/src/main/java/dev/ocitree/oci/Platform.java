package dev.ocitree.oci;

import java.util.Locale;
import java.util.Objects;

/**
 * An image platform as OCI indexes describe it: {@code os/architecture[/variant]}, e.g.
 * {@code linux/amd64}, {@code linux/arm64/v8}, {@code linux/arm/v7}.
 *
 * @param os           operating system, e.g. {@code linux}
 * @param architecture GOARCH-style architecture, e.g. {@code amd64}, {@code arm64}
 * @param variant      CPU variant, or {@code null} when unspecified (then any variant matches)
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        if (os.isEmpty() || architecture.isEmpty() || (variant != null && variant.isEmpty())) {
            throw new IllegalArgumentException("empty platform component in " + os + "/" + architecture + "/" + variant);
        }
    }

    /** Parses {@code os/arch[/variant]}; throws {@link InvalidSourceException} naming the text. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new InvalidSourceException("platform '" + text + "' is not os/arch[/variant], e.g. linux/amd64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** This JVM's platform: {@code linux} and the OCI name of {@code os.arch} (x86_64 → amd64, aarch64 → arm64). */
    public static Platform current() {
        return new Platform("linux", ociArchitecture(System.getProperty("os.arch", "amd64")), null);
    }

    static String ociArchitecture(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Whether an image built for {@code offered} runs here: same os and architecture, and the same
     * variant when both name one ({@code arm64} treats a missing variant as {@code v8}).
     */
    public boolean accepts(Platform offered) {
        if (!os.equals(offered.os) || !architecture.equals(offered.architecture)) {
            return false;
        }
        if (variant == null || offered.variant == null) {
            return variant == null || "arm64".equals(architecture) && "v8".equals(variant);
        }
        return variant.equals(offered.variant);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
