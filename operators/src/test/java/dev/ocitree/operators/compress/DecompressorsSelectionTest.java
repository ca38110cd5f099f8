package dev.ocitree.operators.compress;

import static dev.ocitree.operators.compress.PeerCodec.realistic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocitree.operators.StreamLimits;
import dev.ocitree.testsupport.ByteBufChunks;
import dev.ocitree.testsupport.ByteBufChunks.Memory;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class DecompressorsSelectionTest {

    private static final StreamLimits LIMITS = StreamLimits.defaults();

    @TempDir
    Path dir;
    private final byte[] original = realistic(20_000, 41);
    private final Map<Compression, byte[]> encoded = new EnumMap<>(Compression.class);

    @BeforeEach
    void setUp() {
        PeerCodec peer = new PeerCodec(dir);
        encoded.put(Compression.NONE, original);
        encoded.put(Compression.GZIP, peer.pipe(original, "gzip -c"));
        encoded.put(Compression.ZSTD, peer.pipe(original, "zstd -q -c"));
        encoded.put(Compression.LZ4, peer.pipe(original, "lz4 -q -c"));
    }

    @Test
    void detectChoosesTheDecoderByMagicBytesEvenWhenTheMagicIsSplit() {
        for (Compression format : Compression.values()) {
            byte[] input = encoded.get(format);
            for (Memory memory : Memory.values()) {
                ByteBufChunks chunks = new ByteBufChunks(memory);
                byte[] out = ByteBufChunks.drain(chunks.cutAt(input, 1, 2, 3, 5, 1000).transform(Decompressors.detect(LIMITS)));
                Feeding.assertSame(out, original, "detect on " + format);
                Feeding.assertReleased(chunks);
            }
        }
        byte[] small = new PeerCodec(dir).pipe(realistic(300, 42), "zstd -q -c");
        Feeding.atEverySplitPoint(Decompressors.detect(LIMITS), small, realistic(300, 42));
    }

    @Test
    void declaredCompressionThatMatchesTheMagicDecodes() {
        for (Compression format : Compression.values()) {
            ByteBufChunks chunks = new ByteBufChunks(Memory.DIRECT);
            byte[] out = ByteBufChunks.drain(chunks.slices(encoded.get(format), 97)
                    .transform(Decompressors.of(format, LIMITS, "layer")));
            Feeding.assertSame(out, original, "of(" + format + ")");
            Feeding.assertReleased(chunks);
        }
    }

    @Test
    void declaredCompressionThatContradictsTheMagicFailsNamingBoth() {
        for (Compression declared : Compression.values()) {
            for (Compression actual : Compression.values()) {
                if (declared == actual) {
                    continue;
                }
                ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
                Flux<ByteBuf> out = chunks.slices(encoded.get(actual), 2)
                        .transform(Decompressors.of(declared, LIMITS, "sha256:1234"));
                assertThatThrownBy(() -> ByteBufChunks.drain(out))
                        .isInstanceOfSatisfying(CompressionMismatchException.class, e -> {
                            assertThat(e.declared()).isEqualTo(declared);
                            assertThat(e.detected()).isEqualTo(actual);
                        })
                        .hasMessageContaining("sha256:1234").hasMessageContaining(declared.label());
                Feeding.assertReleased(chunks);
            }
        }
    }

    @Test
    void emptyAndTinyStreams() {
        ByteBufChunks chunks = new ByteBufChunks(Memory.HEAP);
        assertThat(ByteBufChunks.drain(chunks.cutAt(new byte[0]).transform(Decompressors.detect(LIMITS)))).isEmpty();
        assertThat(ByteBufChunks.drain(chunks.cutAt(new byte[] {1, 2}).transform(Decompressors.detect(LIMITS))))
                .containsExactly(1, 2);
        assertThat(ByteBufChunks.drain(chunks.cutAt(new byte[0]).transform(Decompressors.of(Compression.NONE, LIMITS))))
                .isEmpty();
        assertThatThrownBy(() -> ByteBufChunks.drain(chunks.cutAt(new byte[] {0x1f})
                .transform(Decompressors.of(Compression.GZIP, LIMITS)))).isInstanceOf(CorruptStreamException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ByteBufChunks.drain(chunks.cutAt(new byte[0])
                .transform(Decompressors.of(Compression.ZSTD, LIMITS)))).isInstanceOf(CorruptStreamException.class);
        Feeding.assertReleased(chunks);
    }
}
