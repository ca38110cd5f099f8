package dev.ocitree.imports;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The canonical name of an imported image (docs/import.md, "Image names"): one spelling per image,
 * whatever the user typed, so the same image reached by a relative and an absolute path, or by
 * {@code docker://busybox} and {@code docker://docker.io/library/busybox:latest}, gets one ref.
 *
 * <ul>
 * <li>{@code oci:}, {@code oci-archive:}, {@code docker-archive:}: the path made absolute and
 *     normalised, symlinks resolved when it exists (as containers/image does for these transports);
 * <li>a tag or {@code NAME:TAG} is kept ({@code docker-archive} references expanded as below); no
 *     tag, or a {@code docker-archive} {@code @INDEX}, becomes {@code @<manifest digest>};
 * <li>{@code docker://REF} and {@code ostree-unverified-registry:REF}: {@code docker://} and the
 *     reference expanded as skopeo does ({@code docker.io/}, {@code library/}, {@code :latest});
 *     {@code ostree-unverified-image:SOURCE} is the name of {@code SOURCE};
 * <li>anything else: as typed.
 * </ul>
 *
 * <p>Touches the disk (to resolve symlinks): call it on a thread that may block.
 */
final class ImageNames {

    private static final String DOCKER = "docker://";
    private static final String UNVERIFIED_REGISTRY = "ostree-unverified-registry:";
    private static final String UNVERIFIED_IMAGE = "ostree-unverified-image:";

    private ImageNames() {
    }

    /**
     * The canonical name of the image {@code source} named and whose manifest has {@code manifestDigest};
     * a {@code null} digest leaves an untagged local name without one (to look names up).
     */
    static String canonical(String source, String manifestDigest) {
        if (source.startsWith(DOCKER)) {
            return DOCKER + dockerReference(source.substring(DOCKER.length()));
        }
        if (source.startsWith(UNVERIFIED_REGISTRY)) {
            return DOCKER + dockerReference(source.substring(UNVERIFIED_REGISTRY.length()));
        }
        if (source.startsWith(UNVERIFIED_IMAGE)) {
            return canonical(source.substring(UNVERIFIED_IMAGE.length()), manifestDigest);
        }
        int colon = source.indexOf(':');
        String transport = colon < 0 ? "" : source.substring(0, colon);
        if (!transport.equals("oci") && !transport.equals("oci-archive") && !transport.equals("docker-archive")) {
            return source;
        }
        String rest = source.substring(colon + 1);
        int sep = rest.indexOf(':');
        String path = sep < 0 ? rest : rest.substring(0, sep);
        String reference = sep < 0 ? "" : rest.substring(sep + 1);
        if (path.isEmpty()) {
            return source;
        }
        String name = transport + ":" + absolute(path);
        if (reference.isEmpty() || reference.startsWith("@")) {
            return manifestDigest == null ? name : name + "@" + manifestDigest;
        }
        return name + ":" + (transport.equals("docker-archive") ? dockerReference(reference) : reference);
    }

    /** Whether {@code name} is {@code untagged} pinned to a manifest digest, as {@link #canonical} names an untagged image. */
    static boolean pinnedByDigest(String name, String untagged) {
        return name.length() == untagged.length() + "@sha256:".length() + 64 && name.startsWith(untagged + "@sha256:");
    }

    private static String absolute(String path) {
        try {
            Path p = Path.of(path).toAbsolutePath().normalize();
            try {
                return p.toRealPath().toString();
            } catch (IOException e) {
                return p.toString();
            }
        } catch (InvalidPathException e) {
            return path;
        }
    }

    /**
     * A docker reference expanded as skopeo (docker/distribution's {@code ParseNormalizedNamed})
     * does: the domain {@code docker.io} when the first component is not one (no {@code .} or
     * {@code :} and not {@code localhost}), {@code library/} for a single-component Docker Hub name,
     * {@code index.docker.io} as {@code docker.io}, and {@code :latest} when there is neither a tag
     * nor a digest. Not validated here: the source reports a malformed reference.
     */
    static String dockerReference(String reference) {
        int at = reference.indexOf('@');
        String named = at < 0 ? reference : reference.substring(0, at);
        String digest = at < 0 ? "" : reference.substring(at);
        int slash = named.lastIndexOf('/');
        int colon = named.lastIndexOf(':');
        String tag = colon > slash ? named.substring(colon) : "";
        String repository = colon > slash ? named.substring(0, colon) : named;
        if (repository.isEmpty()) {
            return reference;
        }
        int first = repository.indexOf('/');
        String domain = first < 0 ? "" : repository.substring(0, first);
        String path;
        if (first >= 0 && (domain.contains(".") || domain.contains(":") || domain.equals("localhost"))) {
            path = repository.substring(first + 1);
            if (domain.equals("index.docker.io")) {
                domain = "docker.io";
            }
        } else {
            domain = "docker.io";
            path = repository;
        }
        if (domain.equals("docker.io") && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = ":latest";
        }
        return domain + "/" + path + tag + digest;
    }
}
