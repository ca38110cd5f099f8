package dev.ocitree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportOptions;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.oci.ImageNotFoundException;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.testimages.HelloOciExample;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcitreeFacadeTest {

    @TempDir
    Path tmp;

    @Test
    void importsWithProgressAndListsTheImage() {
        Path repoPath = tmp.resolve("repo");
        OstreeRepository.init(repoPath, RepoMode.BARE_USER).close();
        String source = "oci:" + HelloOciExample.committedLayout() + ":latest";
        try (Ocitree ocitree = Ocitree.open(repoPath)) {
            List<ImportEvent> events = ocitree.importWithProgress(source, ImportOptions.defaults().branch("example"))
                    .collectList().block();
            assertThat(events.get(0)).isInstanceOf(ImportEvent.Resolved.class);
            assertThat(events).filteredOn(e -> e instanceof ImportEvent.LayerDone).hasSize(2);
            assertThat(events.get(events.size() - 1)).isInstanceOf(ImportEvent.Done.class);

            ImportResult again = ocitree.importImage(source, ImportOptions.defaults()).block();
            assertThat(again.bytesRead()).isZero();
            assertThat(ocitree.images().images().collectList().block()).singleElement()
                    .satisfies(i -> assertThat(i.name()).isEqualTo(source));
            assertThatThrownBy(() -> ocitree.importImage("oci:" + HelloOciExample.committedLayout() + ":nope",
                    ImportOptions.defaults()).block()).isInstanceOf(ImageNotFoundException.class);
        }
        assertThat(PeerTools.runOk(tmp, "ostree", "rev-parse", "--repo=" + repoPath, "example").trim()).hasSize(64);
    }
}
