package dev.ocitree.cli;

import dev.ocitree.registry.RegistryOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The registry flags {@code pull} and {@code export} (to {@code docker://}) share, as a picocli mixin. */
final class RegistryFlags {

    @Option(names = "--creds", paramLabel = "USER:PASSWORD", description = "Credentials for the registry.")
    String creds;

    @Option(names = "--authfile", paramLabel = "FILE",
            description = "Read credentials from this containers-auth.json / docker config.json only.")
    Path authFile;

    @Option(names = "--cert-dir", paramLabel = "DIR",
            description = "Also trust the CA certificates in DIR/*.crt (as skopeo's --cert-dir).")
    Path certDir;

    @Option(names = "--tls-verify", arity = "0..1", paramLabel = "BOOL", fallbackValue = "true",
            description = {"Verify certificates (default; a loopback registry may still",
                "use plain HTTP). =false: any certificate, and plain HTTP."})
    Boolean tlsVerify;

    @Option(names = "--retries", paramLabel = "N",
            description = "Retries of a failed request: connection errors, 5xx, 429, a cut-off blob (default 5).")
    Integer retries;

    RegistryOptions options() {
        RegistryOptions options = RegistryOptions.defaults().credentials(creds).authFile(authFile).certDir(certDir);
        if (tlsVerify != null) {
            options = options.tlsVerify(tlsVerify);
        }
        if (retries != null) {
            options = options.retries(retries);
        }
        return options;
    }
}
