package dev.ocitree.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a registry is reached; immutable, every setter returns a new instance and validates.
 *
 * <pre>{@code
 * RegistryOptions.defaults().credentials("user:secret").tlsVerify(false).retries(3)
 * }</pre>
 *
 * <p>TLS: verified against the system trust store (plus the {@code *.crt} files of {@link
 * #certDir}) by default. {@code tlsVerify(false)} accepts any certificate and falls back to plain
 * HTTP when the registry does not speak TLS; a loopback registry ({@code localhost}, {@code 127.*},
 * {@code [::1]}) may use plain HTTP unless {@code tlsVerify(true)} is set explicitly, as docker does.
 *
 * <p>Credentials, first found wins: {@link #credentials}; else the {@link #authFile}; else
 * {@code $REGISTRY_AUTH_FILE}; else {@code $XDG_RUNTIME_DIR/containers/auth.json},
 * {@code ~/.config/containers/auth.json}, {@code ~/.docker/config.json} (containers-auth.json(5)).
 */
public final class RegistryOptions {

    private static final RegistryOptions DEFAULTS = new RegistryOptions(null, null, null, null, System.getenv(),
            Path.of(System.getProperty("user.home", "/")), 5, Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    private final Boolean tlsVerify;
    private final Path certDir;
    private final String credentials;
    private final Path authFile;
    private final Map<String, String> environment;
    private final Path home;
    private final int retries;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration maxRetryDelay;

    private RegistryOptions(Boolean tlsVerify, Path certDir, String credentials, Path authFile,
            Map<String, String> environment, Path home, int retries, Duration connectTimeout, Duration idleTimeout,
            Duration maxRetryDelay) {
        this.tlsVerify = tlsVerify;
        this.certDir = certDir;
        this.credentials = credentials;
        this.authFile = authFile;
        this.environment = environment;
        this.home = home;
        this.retries = retries;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.maxRetryDelay = maxRetryDelay;
    }

    /** Verified TLS, credentials from the auth files, 5 retries, 30 s connect, 60 s idle timeout. */
    public static RegistryOptions defaults() {
        return DEFAULTS;
    }

    private RegistryOptions with(Boolean tlsVerify, Path certDir, String credentials, Path authFile,
            Map<String, String> environment, Path home, int retries, Duration connectTimeout, Duration idleTimeout,
            Duration maxRetryDelay) {
        return new RegistryOptions(tlsVerify, certDir, credentials, authFile, environment, home, retries,
                connectTimeout, idleTimeout, maxRetryDelay);
    }

    /** Whether certificates are verified: {@code null} when not set (verified, loopback may use HTTP). */
    public Boolean tlsVerify() {
        return tlsVerify;
    }

    public RegistryOptions tlsVerify(boolean verify) {
        return with(verify, certDir, credentials, authFile, environment, home, retries, connectTimeout, idleTimeout,
                maxRetryDelay);
    }

    /** A directory whose {@code *.crt} files are trusted as CA certificates too (skopeo's {@code --cert-dir}), or null. */
    public Path certDir() {
        return certDir;
    }

    public RegistryOptions certDir(Path dir) {
        return with(tlsVerify, dir, credentials, authFile, environment, home, retries, connectTimeout, idleTimeout,
                maxRetryDelay);
    }

    /** {@code USER[:PASSWORD]} given explicitly, or null. */
    String credentials() {
        return credentials;
    }

    /** Uses {@code USER:PASSWORD} for every registry of this pull (skopeo's {@code --creds}). */
    public RegistryOptions credentials(String userColonPassword) {
        if (userColonPassword != null && (userColonPassword.isEmpty() || userColonPassword.indexOf(':') <= 0)) {
            throw new IllegalArgumentException("credentials must be USER:PASSWORD");
        }
        return with(tlsVerify, certDir, userColonPassword, authFile, environment, home, retries, connectTimeout,
                idleTimeout, maxRetryDelay);
    }

    /** The auth file to read instead of the default ones, or null. */
    public Path authFile() {
        return authFile;
    }

    public RegistryOptions authFile(Path file) {
        return with(tlsVerify, certDir, credentials, file, environment, home, retries, connectTimeout, idleTimeout,
                maxRetryDelay);
    }

    /** The environment the default auth file paths are read from (default: the process's). */
    Map<String, String> environment() {
        return environment;
    }

    Path home() {
        return home;
    }

    /** Replaces the environment and home directory the auth files are looked up in (for tests and embedders). */
    public RegistryOptions authEnvironment(Map<String, String> env, Path homeDir) {
        return with(tlsVerify, certDir, credentials, authFile, Map.copyOf(env), Objects.requireNonNull(homeDir),
                retries, connectTimeout, idleTimeout, maxRetryDelay);
    }

    /** How many times a failed request is retried (connection errors, 5xx, 429, a cut-off blob). */
    public int retries() {
        return retries;
    }

    public RegistryOptions retries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("retries must be at least 0, was " + n);
        }
        return with(tlsVerify, certDir, credentials, authFile, environment, home, n, connectTimeout, idleTimeout,
                maxRetryDelay);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest wait for the next bytes of a response before the request is retried. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    public RegistryOptions timeouts(Duration connect, Duration idle) {
        if (connect.isNegative() || connect.isZero() || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        return with(tlsVerify, certDir, credentials, authFile, environment, home, retries, connect, idle,
                maxRetryDelay);
    }

    /** The longest pause between retries, also the cap on a {@code Retry-After}. */
    public Duration maxRetryDelay() {
        return maxRetryDelay;
    }

    public RegistryOptions maxRetryDelay(Duration max) {
        if (max.isNegative()) {
            throw new IllegalArgumentException("maxRetryDelay must not be negative");
        }
        return with(tlsVerify, certDir, credentials, authFile, environment, home, retries, connectTimeout,
                idleTimeout, max);
    }

    @Override
    public String toString() {
        return "RegistryOptions{tlsVerify=" + tlsVerify + ", certDir=" + certDir + ", credentials="
                + (credentials == null ? "none" : "given") + ", authFile=" + authFile + ", retries=" + retries + '}';
    }
}
