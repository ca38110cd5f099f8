package dev.ocitree.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testimages.ImageBuilder;
import dev.ocitree.testimages.LayerBuilder;
import dev.ocitree.testimages.LayerCompression;
import dev.ocitree.testsupport.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's file system fills up during an import (a 24 MiB tmpfs, mounted in a private
 * mount namespace by {@code unshare}, half taken by a filler file): the import fails with one clean
 * error naming the cause, the repository passes {@code ostree fsck} and holds no ref of the image,
 * and once the filler is deleted the same import succeeds and no staging area is left.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void aFullFileSystemFailsTheImportCleanlyAndItSucceedsOnceSpaceIsFreed() throws Exception {
        byte[] big = new byte[14 << 20];
        new Random(24).nextBytes(big);
        Path layout = new ImageBuilder()
                .layer(new LayerBuilder().dir("etc").file("etc/small", "small\n"), LayerCompression.GZIP)
                .layer(new LayerBuilder().file("big.bin", big, 0644, 0, 0), LayerCompression.ZSTD)
                .writeLayout(tmp.resolve("image"), "latest");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cli = java + " -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.ocitree.cli.OcitreeCommand --repo=" + mnt + "/repo";
        String script = String.join("\n",
                "set -u",
                "mount -t tmpfs -o size=24m tmpfs " + mnt + " || exit 90",
                cli + " init --mode=bare-user-only || exit 91",
                "dd if=/dev/zero of=" + mnt + "/filler bs=1M count=12 status=none || exit 92",
                cli + " import oci:" + layout + ":latest -b full 2>" + tmp + "/err1; echo import1=$?",
                "ostree fsck --repo=" + mnt + "/repo >/dev/null 2>&1; echo fsck1=$?",
                "echo refs1=$(ostree refs --repo=" + mnt + "/repo | grep -c image)",
                "rm " + mnt + "/filler",
                cli + " import oci:" + layout + ":latest -b full >/dev/null 2>" + tmp + "/err2; echo import2=$?",
                "ostree fsck --repo=" + mnt + "/repo >/dev/null 2>&1; echo fsck2=$?",
                "echo cat2=$(ostree cat --repo=" + mnt + "/repo full /etc/small)",
                "echo staging=$(ls " + mnt + "/repo/tmp | grep -c ocitree-staging)",
                "umount " + mnt);
        Path scriptFile = tmp.resolve("disk-full.sh");
        Files.writeString(scriptFile, script);
        // a private mount namespace: as an unprivileged user through a user namespace, or as root
        PeerTools.Result r = PeerTools.run(tmp, "unshare", "--user", "--map-root-user", "--mount", "sh",
                scriptFile.toString());
        if (r.exitCode() == 90 || r.exitCode() == 1 && r.stdout().isEmpty()) {
            r = PeerTools.run(tmp, "unshare", "--mount", "sh", scriptFile.toString());
        }
        assertThat(r.exitCode()).as("the script (stdout %s, stderr %s)", r.stdout(), r.stderr()).isZero();
        Map<String, String> out = new LinkedHashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> out.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        String err1 = Files.readString(tmp.resolve("err1"));
        assertThat(out.get("import1")).as(err1).isEqualTo("1");
        assertThat(err1.lines().filter(l -> l.startsWith("error: "))).singleElement().asString()
                .contains("No space left on device");
        assertThat(err1).doesNotContain("Exception in thread").doesNotContain("\tat ");
        assertThat(out).containsEntry("fsck1", "0").containsEntry("refs1", "0");
        assertThat(out.get("import2")).as(Files.readString(tmp.resolve("err2"))).isEqualTo("0");
        assertThat(out).containsEntry("fsck2", "0").containsEntry("cat2", "small").containsEntry("staging", "0");
    }
}
