package dev.ocitree.registry;

import dev.ocitree.oci.Descriptor;
import dev.ocitree.oci.InvalidSourceException;
import java.util.regex.Pattern;

/**
 * A registry image name, normalised as docker and skopeo normalise it: a name without a registry
 * host lives on {@code docker.io}, and a one-component name there under {@code library/}; no tag and
 * no digest means {@code latest}.
 *
 * @param registry   {@code host[:port]}, e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param repository the repository path, e.g. {@code library/busybox}
 * @param tag        the tag, or {@code null} when a digest names the image
 * @param digest     {@code sha256:<hex>}, or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** The host docker.io's API is served from. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:[0-9]{1,5})?");

    /**
     * Parses {@code [HOST[:PORT]/]NAME[:TAG][@DIGEST]}.
     *
     * @throws InvalidSourceException naming {@code text} and what is wrong with it
     */
    public static ImageReference parse(String text) {
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!Descriptor.isDigest(digest)) {
                throw new InvalidSourceException("image '" + text + "': digest '" + digest
                        + "' is not sha256:<64 lower-case hex>");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidSourceException("image '" + text + "': tag '" + tag + "' is not valid");
            }
        }
        String registry = "docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                registry = first;
                rest = rest.substring(slash + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw new InvalidSourceException("image '" + text + "': '" + registry + "' is not a registry host[:port]");
                }
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = "docker.io";
        }
        if (registry.equals("docker.io") && rest.indexOf('/') < 0) {
            rest = "library/" + rest;
        }
        if (rest.isEmpty() || !REPOSITORY.matcher(rest).matches()) {
            throw new InvalidSourceException("image '" + text + "': repository '" + rest
                    + "' is not valid (lower-case letters, digits and . _ - separators, / between components)");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** Whether {@code name} is a repository path of the distribution grammar (lower-case components). */
    static boolean isRepository(String name) {
        return name != null && REPOSITORY.matcher(name).matches();
    }

    /** The manifest reference to fetch: the digest when there is one, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The {@code host[:port]} the API is served from ({@code registry-1.docker.io} for docker.io). */
    String apiHost() {
        return registry.equals("docker.io") ? DOCKER_HUB_API : registry;
    }

    /** Whether the registry is on this machine (docker treats those as insecure registries). */
    boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
