package dev.ocitree.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Finds credentials as containers-auth.json(5) does. Files: {@code --authfile}, else
 * {@code $REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json},
 * {@code ~/.config/containers/auth.json}, {@code ~/.docker/config.json}; the first file with an
 * entry wins. In a file, {@code auths} keys are matched most specific first:
 * {@code host/namespace/repo}, {@code host/namespace}, …, {@code host} (with or without
 * {@code https://} / {@code http://} and a trailing {@code /v1/} or {@code /v2/}, as docker writes
 * them); an entry's {@code auth} is base64 of {@code user:password}. Reads files: call it off event
 * loops.
 */
final class AuthFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuthFiles() {
    }

    /** The credentials for {@code registry}/{@code repository}, or {@code null} for anonymous access. */
    static Credentials lookup(RegistryOptions options, String registry, String repository) {
        if (options.credentials() != null) {
            return Credentials.parse(options.credentials(), "--creds");
        }
        for (Path file : files(options)) {
            Credentials found = lookup(file, registry, repository);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static List<Path> files(RegistryOptions options) {
        if (options.authFile() != null) {
            return List.of(options.authFile());
        }
        Map<String, String> env = options.environment();
        String fromEnv = env.get("REGISTRY_AUTH_FILE");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return List.of(Path.of(fromEnv));
        }
        List<Path> out = new ArrayList<>();
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            out.add(Path.of(runtime, "containers", "auth.json"));
        }
        out.add(options.home().resolve(".config/containers/auth.json"));
        out.add(options.home().resolve(".docker/config.json"));
        return out;
    }

    private static Credentials lookup(Path file, String registry, String repository) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode auths;
        try {
            auths = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("auths");
        } catch (IOException e) {
            throw new RegistryException("auth file " + file + " is not readable JSON: " + e.getMessage(), e);
        }
        if (!auths.isObject()) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        String path = registry + "/" + repository;
        while (true) {
            keys.add(path);
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            path = path.substring(0, slash);
        }
        if (registry.equals("docker.io")) {
            keys.add("index.docker.io");
            keys.add("https://index.docker.io/v1/");
        }
        for (String key : keys) {
            for (Map.Entry<String, JsonNode> e : auths.properties()) {
                if (normalise(e.getKey()).equals(key)) {
                    return decode(e.getValue(), file, e.getKey());
                }
            }
        }
        return null;
    }

    private static String normalise(String key) {
        String k = key;
        if (k.startsWith("https://")) {
            k = k.substring(8);
        } else if (k.startsWith("http://")) {
            k = k.substring(7);
        }
        if (k.endsWith("/v1/") || k.endsWith("/v2/")) {
            k = k.substring(0, k.length() - 4);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    private static Credentials decode(JsonNode entry, Path file, String key) {
        String auth = entry.path("auth").asText("");
        if (auth.isEmpty()) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("auth file " + file + ": the auth of '" + key + "' is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException("auth file " + file + ": the auth of '" + key + "' is not base64 of user:password");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1), file.toString());
    }
}
