package dev.ocitree.oci;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: any bytes read as an image manifest and as an image index either parse or fail
 * with {@link OciFormatException} naming the file (never another exception). The seed corpus
 * ({@code ManifestFuzzTestInputs/}: manifests and indexes skopeo and docker write) runs in every build.
 */
class ManifestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseOrFailTyped(byte[] data) {
        try {
            ImageManifest.parse(data, null, "fuzz.json");
        } catch (OciFormatException expected) {
            // refused with a typed error
        }
        try {
            Indexes.parse(data, null, "fuzz.json");
        } catch (OciFormatException expected) {
            // refused with a typed error
        }
    }
}
