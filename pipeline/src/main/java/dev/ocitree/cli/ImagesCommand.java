package dev.ocitree.cli;

import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "images", description = {"List imported images: name, digest, commit, layers, size.",
        "With --json, one object per image. Size is the sum of the compressed layers."},
        subcommands = ImagesCommand.Rm.class)
final class ImagesCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        List<ImageStore.ImageInfo> images = new ImageStore(repo).images().collectList().block();
        if (json()) {
            images.forEach(i -> out().println(JsonEvents.image(i)));
            return 0;
        }
        Table table = new Table("NAME", "MANIFEST", "COMMIT", "LAYERS", "SIZE");
        for (ImageStore.ImageInfo i : images) {
            table.row(CliText.escape(i.name()), i.manifestDigest() == null ? "-" : i.manifestDigest().substring(0, 19),
                    i.commit().hex().substring(0, 12), Integer.toString(i.layers().size()), ByteSizes.format(i.size()));
        }
        table.print(out());
        return 0;
    }

    @Command(name = "rm", description = {"Remove imported images (their refs); layers stay until 'ocitree prune'.",
        "Like podman rmi: the content goes at the next prune. With --json, {\"removed\":NAME} per image."})
    static final class Rm extends RepoCommand {

        @Parameters(arity = "1..*", paramLabel = "NAME",
                description = "An image name as 'ocitree images' lists it, or any spelling of it (a relative path).")
        List<String> names;

        @Override
        int run(OstreeRepository repo) {
            ImageStore store = new ImageStore(repo);
            for (String name : names) {
                String removed = store.remove(name).block();
                out().println(json() ? JsonEvents.MAPPER.createObjectNode().put("removed", removed).toString()
                        : "removed " + CliText.escape(removed));
            }
            return 0;
        }
    }
}
