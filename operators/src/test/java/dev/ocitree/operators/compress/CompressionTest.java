package dev.ocitree.operators.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void ociAndDockerLayerMediaTypesMapToTheirCompression() {
        assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar")).isEqualTo(Compression.NONE);
        assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+gzip")).isEqualTo(Compression.GZIP);
        assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+zstd")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.v1.tar+lz4")).isEqualTo(Compression.LZ4);
        assertThat(Compression.fromMediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"))
                .isEqualTo(Compression.GZIP);
        assertThat(Compression.fromMediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"))
                .isEqualTo(Compression.GZIP);
        assertThat(Compression.fromMediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"))
                .isEqualTo(Compression.GZIP);
        assertThat(Compression.fromMediaType(" Application/VND.oci.image.layer.v1.tar+gzip; foo=bar"))
                .isEqualTo(Compression.GZIP);
    }

    @Test
    void unknownMediaTypeIsATypedErrorNamingIt() {
        assertThatThrownBy(() -> Compression.fromMediaType("application/vnd.oci.image.config.v1+json"))
                .isInstanceOf(UnsupportedMediaTypeException.class)
                .hasMessageContaining("application/vnd.oci.image.config.v1+json");
        assertThatThrownBy(() -> Compression.fromMediaType(null)).isInstanceOf(UnsupportedMediaTypeException.class);
    }
}
