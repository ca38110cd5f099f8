package dev.ocitree.cli;

import dev.ocitree.oci.InvalidSourceException;
import dev.ocitree.oci.OciSource;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.registry.OciRemotes;
import dev.ocitree.registry.RegistryOptions;
import dev.ocitree.registry.RegistrySource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ocitree pull}: import an image from a registry (or any source), directly or through a named OCI remote. */
@Command(name = "pull", description = {
        "Pull an image from an OCI registry, as import does.",
        "A commit per layer and a merged commit. IMAGE is docker://[HOST[:PORT]/]NAME[:TAG|@DIGEST], or the",
        "same without docker:// (short names go to docker.io, and library/ for one",
        "component), ostree-unverified-registry:NAME,",
        "ostree-unverified-image:TRANSPORT:NAME, or an import source (oci:,",
        "oci-archive:, docker-archive:). REMOTE IMAGE pulls NAME[:TAG|@DIGEST] from",
        "the OCI remote REMOTE (see remote add); its ref then names REMOTE:IMAGE.",
        "Layers whose blob is already in the repository are not downloaded.",
        "Credentials: --creds, else --authfile, else $REGISTRY_AUTH_FILE, else",
        "$XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,",
        "~/.docker/config.json."})
final class PullCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "IMAGE|REMOTE",
            description = "The image to pull, or the name of an OCI remote (see remote add).")
    String first;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE", description = "With a REMOTE: NAME[:TAG|@DIGEST] in it.")
    String second;

    @Mixin
    ImportFlags flags;

    @Mixin
    RegistryFlags registryFlags;

    @Override
    int run(OstreeRepository repo) {
        RegistryOptions registry = registryFlags.options();
        return ImportCommand.execute(this, repo, io -> open(registry, io),
                flags.options());
    }

    private OciSource open(RegistryOptions options, reactor.core.scheduler.Scheduler io) {
        if (second != null) {
            OciRemotes.Remote remote = new OciRemotes(repoPath()).get(first);
            if (remote == null) {
                throw new InvalidSourceException("no OCI remote '" + first + "' in " + repoPath()
                        + "; add one with: ocitree remote add --oci " + first + " URL");
            }
            return RegistrySource.open(remote, second, options, io);
        }
        String source = first;
        boolean transport = RegistrySource.handles(source)
                || List.of("oci:", "oci-archive:", "docker-archive:").stream().anyMatch(source::startsWith);
        if (!transport) {
            source = "docker://" + source;
        }
        return RegistrySource.handles(source) ? RegistrySource.open(source, options, io) : OciSource.open(source, io);
    }
}
