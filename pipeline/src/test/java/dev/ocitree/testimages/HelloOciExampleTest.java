package dev.ocitree.testimages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.oci.OciSource;
import dev.ocitree.oci.Platform;
import dev.ocitree.oci.ResolvedImage;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * The committed example equals what {@link HelloOciExample} builds (same layer tars), and real
 * umoci unpacks it as expected. With {@code -Docitree.regenerateExample=true} the example is first
 * rewritten ({@code scripts/make-example.sh}).
 */
class HelloOciExampleTest {

    @TempDir
    Path tmp;

    @Test
    void committedExampleIsWhatTheBuilderWrites() throws Exception {
        Path layout = HelloOciExample.committedLayout();
        ImageBuilder image = HelloOciExample.image();
        if (Boolean.getBoolean("ocitree.regenerateExample")) {
            ImageBuilder.deleteTree(layout);
            image.writeLayout(layout, HelloOciExample.TAG);
        }
        try (OciSource source = OciSource.open("oci:" + layout + ":" + HelloOciExample.TAG, Schedulers.boundedElastic())) {
            ResolvedImage resolved = source.resolve(Platform.current()).block();
            List<String> diffIds = image.layers().stream().map(ImageBuilder.Layer::diffId).toList();
            assertThat(resolved.config().diffIds()).isEqualTo(diffIds);
            assertThat(resolved.layers()).extracting(d -> d.mediaType())
                    .containsExactly(LayerCompression.GZIP.mediaType(), LayerCompression.GZIP.mediaType());
        }
    }

    @Test
    void umociUnpacksTheExampleWithTheWhiteoutApplied() throws Exception {
        Path bundle = tmp.resolve("bundle");
        PeerTools.runOk(tmp, "umoci", "unpack", "--rootless", "--image",
                HelloOciExample.committedLayout() + ":" + HelloOciExample.TAG, bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        assertThat(rootfs.resolve("usr/share/hello/obsolete.txt")).doesNotExist();
        assertThat(rootfs.resolve("usr/share/hello/.wh.obsolete.txt")).doesNotExist();
        assertThat(Files.readString(rootfs.resolve("etc/hello.conf"))).isEqualTo("greeting=hello, world\n");
        assertThat(Files.readSymbolicLink(rootfs.resolve("usr/bin/hi"))).isEqualTo(Path.of("hello"));
        assertThat(rootfs.resolve("usr/share/hello/added.txt")).exists();
    }
}
