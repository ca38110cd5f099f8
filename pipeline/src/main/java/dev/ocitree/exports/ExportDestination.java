package dev.ocitree.exports;

import java.nio.file.Path;

/**
 * Where an export goes, parsed from skopeo-style text: {@code oci:DIR[:TAG]},
 * {@code oci-archive:FILE[:TAG]} or {@code docker-archive:FILE[:NAME[:TAG]]}; the path ends at the
 * first {@code ':'} after the transport. {@code docker://…} is kept as text, for
 * {@link dev.ocitree.registry.RegistryPush} to parse.
 *
 * @param transport {@code oci}, {@code oci-archive}, {@code docker-archive} or {@code docker}
 * @param path      the layout directory or archive file (null for {@code docker})
 * @param tag       the {@code org.opencontainers.image.ref.name}, or for {@code docker-archive:}
 *                  the {@code RepoTags} entry ({@code :latest} added when it has no tag); null
 *                  for the default
 * @param text      the destination as given, for messages
 */
record ExportDestination(String transport, Path path, String tag, String text) {

    static final String OCI = "oci";
    static final String OCI_ARCHIVE = "oci-archive";
    static final String DOCKER_ARCHIVE = "docker-archive";
    static final String DOCKER = "docker";

    static ExportDestination parse(String text) {
        if (text != null && text.startsWith(DOCKER + "://")) {
            return new ExportDestination(DOCKER, null, null, text); // parsed by RegistryPush
        }
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new InvalidDestinationException("destination '" + text
                    + "' is not oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG]"
                    + " or docker://HOST/NAME[:TAG]");
        }
        String transport = text.substring(0, colon);
        if (!transport.equals(OCI) && !transport.equals(OCI_ARCHIVE) && !transport.equals(DOCKER_ARCHIVE)) {
            throw new InvalidDestinationException("destination '" + text + "': transport '" + transport
                    + "' is not supported for export (oci:, oci-archive:, docker-archive:, docker://)");
        }
        String rest = text.substring(colon + 1);
        int tagColon = rest.indexOf(':');
        String path = tagColon < 0 ? rest : rest.substring(0, tagColon);
        String tag = tagColon < 0 ? null : rest.substring(tagColon + 1);
        if (path.isEmpty()) {
            throw new InvalidDestinationException("destination '" + text + "': empty path");
        }
        if (tag != null && (tag.isEmpty() || tag.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new InvalidDestinationException("destination '" + text + "': invalid tag '" + tag + "'");
        }
        if (transport.equals(DOCKER_ARCHIVE) && tag != null) {
            int slash = tag.lastIndexOf('/');
            if (tag.chars().anyMatch(c -> c == ' ' || c == '@') || tag.endsWith(":") || tag.startsWith("/")) {
                throw new InvalidDestinationException("destination '" + text + "': '" + tag + "' is not NAME[:TAG]");
            }
            if (tag.indexOf(':', slash + 1) < 0) {
                tag = tag + ":latest";
            }
        }
        return new ExportDestination(transport, Path.of(path), tag, text);
    }

    boolean isOciArchive() {
        return transport.equals(OCI_ARCHIVE);
    }

    boolean isRegistry() {
        return transport.equals(DOCKER);
    }

    boolean isDockerArchive() {
        return transport.equals(DOCKER_ARCHIVE);
    }
}
