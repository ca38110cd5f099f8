package dev.ocitree.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocitree.imports.ImageStore;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images", description = "List imported images: name, manifest digest, merged commit, layers, size.",
        subcommands = ImagesCommand.Rm.class)
final class ImagesCommand extends RepoCommand {

    @Option(names = "--json", description = "Print one JSON object per image.")
    boolean json;

    @Override
    int run(OstreeRepository repo) {
        List<ImageStore.ImageInfo> images = new ImageStore(repo).images().collectList().block();
        if (!json) {
            out().printf("%-40s %-19s %-12s %6s %10s%n", "NAME", "MANIFEST", "COMMIT", "LAYERS", "SIZE");
        }
        for (ImageStore.ImageInfo i : images) {
            if (json) {
                ObjectNode n = ImportCommand.Json.MAPPER.createObjectNode();
                n.put("name", i.name()).put("ref", i.ref()).put("manifestDigest", i.manifestDigest())
                        .put("commit", i.commit().hex()).put("size", i.size());
                i.layers().forEach(n.withArray("layers")::add);
                out().println(n);
            } else {
                out().printf("%-40s %-19s %-12s %6d %10s%n", i.name(),
                        i.manifestDigest() == null ? "-" : i.manifestDigest().substring(0, 19),
                        i.commit().hex().substring(0, 12), i.layers().size(), ImportCommand.Json.bytes(i.size()));
            }
        }
        return 0;
    }

    @Command(name = "rm", description = "Remove imported images' refs (their layers stay until 'ocitree prune').")
    static final class Rm implements Callable<Integer> {

        @CommandLine.ParentCommand
        ImagesCommand images;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Image names as 'ocitree images' lists them.")
        List<String> names;

        @Override
        public Integer call() {
            try (OstreeRepository repo = OstreeRepository.open(images.repoPath())) {
                ImageStore store = new ImageStore(repo);
                for (String name : names) {
                    images.out().println("removed " + store.remove(name).block());
                }
            }
            images.out().flush();
            return 0;
        }
    }
}
