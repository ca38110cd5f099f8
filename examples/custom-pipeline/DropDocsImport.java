import dev.ocitree.Ocitree;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarStages;
import java.nio.file.Path;

/**
 * A custom import pipeline: every layer goes source → decompress → tar → <b>this program's stage</b>
 * → object writes → layer commit → merge, and the stage drops {@code usr/share/doc} and makes root
 * the owner of everything.
 *
 * <pre>
 * ./ocitree --repo=/tmp/custom init --mode=bare-user
 * java -cp pipeline/target/ocitree.jar examples/custom-pipeline/DropDocsImport.java \
 *     /tmp/custom oci:examples/hello-oci:latest custom
 * ./ocitree --repo=/tmp/custom ls -R custom
 * </pre>
 */
public final class DropDocsImport {

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: DropDocsImport REPO SOURCE REF");
            System.exit(2);
        }
        ImportOptions options = ImportOptions.defaults()
                .branch(args[2])
                .tarStage(TarStages.dropEntries(DropDocsImport::isDoc)
                        .andThen(TarStages.mapEntries(e -> e.withOwner(0, 0, "root", "root"))));
        try (Ocitree ocitree = Ocitree.open(Path.of(args[0]))) {
            ImportResult result = ocitree.importImage(args[1], options).block();
            System.out.println(args[2] + " " + result.commit().hex());
        }
    }

    private static boolean isDoc(TarEntry entry) {
        return entry.path().equals("usr/share/doc") || entry.path().startsWith("usr/share/doc/");
    }
}
