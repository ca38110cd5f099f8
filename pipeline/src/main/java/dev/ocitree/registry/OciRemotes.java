package dev.ocitree.registry;

import dev.ocitree.oci.InvalidSourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Named OCI remotes, kept in the repository's {@code config} the way ostree keeps remotes: a group
 * {@code [remote "NAME"]} with {@code url=oci+https://HOST[:PORT][/NAMESPACE]} (flatpak's spelling
 * of an OCI registry) and {@code gpg-verify=false}, so {@code ostree remote list} shows it and
 * {@code ostree pull} does not mistake it for an OSTree remote. Other groups and lines of the file
 * are kept as they are. Blocking (file I/O): call it off event loops.
 */
public final class OciRemotes {

    /** An OCI remote: where {@code pull NAME IMAGE} looks for {@code IMAGE}. */
    public record Remote(String name, String scheme, String host, String namespace) {

        /** The URL as stored: {@code oci+SCHEME://HOST[/NAMESPACE]}. */
        public String url() {
            return "oci+" + scheme + "://" + host + (namespace.isEmpty() ? "" : "/" + namespace);
        }
    }

    /** ostree's remote names: what {@code ostree remote add} accepts. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path config;

    /** The remotes of the repository at {@code repo}. */
    public OciRemotes(Path repo) {
        this.config = repo.resolve("config");
    }

    /**
     * Parses a remote URL: {@code [oci+]http[s]://HOST[:PORT][/NAMESPACE]} or {@code docker://HOST…}
     * (https).
     *
     * @throws InvalidSourceException naming the URL and the problem
     */
    public static Remote parse(String name, String url) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSourceException("remote name '" + name + "' is not valid: letters, digits, '.', '_', '-',"
                    + " not starting with '.', '_' or '-'");
        }
        String u = url.startsWith("oci+") ? url.substring(4) : url;
        if (u.startsWith("docker://")) {
            u = "https://" + u.substring("docker://".length());
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new InvalidSourceException("remote URL '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getRawAuthority() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InvalidSourceException("remote URL '" + url + "' is not [oci+]http[s]://HOST[:PORT][/NAMESPACE]");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (path.startsWith("v2") && (path.length() == 2 || path.charAt(2) == '/')) {
            path = path.substring(2).replaceAll("^/+", "");
        }
        if (!path.isEmpty()) {
            ImageReference.parse(uri.getRawAuthority() + "/" + path);
        }
        return new Remote(name, uri.getScheme(), uri.getRawAuthority().toLowerCase(java.util.Locale.ROOT), path);
    }

    /** Adds a remote; an existing remote of that name (OCI or not) is an error. */
    public synchronized Remote add(String name, String url) {
        Remote remote = parse(name, url);
        List<String> lines = read();
        if (groupStart(lines, name) >= 0) {
            throw new InvalidSourceException("remote '" + name + "' already exists in " + config);
        }
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
            lines.add("");
        }
        lines.add("[remote \"" + name + "\"]");
        lines.add("url=" + remote.url());
        lines.add("gpg-verify=false");
        write(lines);
        return remote;
    }

    /** Removes the remote {@code name} (an OCI remote); false when there is none. */
    public synchronized boolean delete(String name) {
        List<String> lines = read();
        int start = groupStart(lines, name);
        if (start < 0) {
            return false;
        }
        if (get(name) == null) {
            throw new InvalidSourceException("remote '" + name + "' is not an OCI remote; remove it with ostree remote delete");
        }
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).strip().startsWith("[")) {
            end++;
        }
        while (start > 0 && lines.get(start - 1).isBlank()) {
            start--;
        }
        lines.subList(start, end).clear();
        write(lines);
        return true;
    }

    /** The OCI remotes (those whose url starts with {@code oci+}), by name, in file order. */
    public synchronized Map<String, Remote> list() {
        Map<String, Remote> out = new LinkedHashMap<>();
        String group = null;
        for (String raw : read()) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                String g = line.substring(1, line.length() - 1).strip();
                group = g.startsWith("remote \"") && g.endsWith("\"") ? g.substring(8, g.length() - 1) : null;
            } else if (group != null && line.startsWith("url") && line.contains("=")
                    && line.substring(0, line.indexOf('=')).strip().equals("url")) {
                String url = line.substring(line.indexOf('=') + 1).strip();
                if (url.startsWith("oci+")) {
                    out.put(group, parse(group, url));
                }
            }
        }
        return out;
    }

    /** The OCI remote {@code name}, or {@code null}. */
    public Remote get(String name) {
        return list().get(name);
    }

    private int groupStart(List<String> lines, String name) {
        String header = "[remote \"" + name + "\"]";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(header)) {
                return i;
            }
        }
        return -1;
    }

    private List<String> read() {
        try {
            String text = Files.readString(config, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the config atomically (a temporary file renamed over it). */
    private void write(List<String> lines) {
        Path tmp = config.resolveSibling(".config.ocitree-tmp");
        try {
            Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters
            }
            throw new UncheckedIOException("cannot write " + config + ": " + e.getMessage(), e);
        }
    }
}
