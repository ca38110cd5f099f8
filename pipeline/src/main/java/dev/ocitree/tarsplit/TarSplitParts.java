package dev.ocitree.tarsplit;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Reads a record written by {@link TarSplitRecorder} back, lazily, as a stream of {@link Part}s:
 * raw framing bytes (at most 64 KiB each) and the bodies to take from the layer commit. The record
 * is decompressed as parts are requested (CPU only, nothing blocks), so memory stays bounded
 * whatever the layer's size. A record that is not one fails the stream with
 * {@link TarSplitException} naming the layer.
 */
public final class TarSplitParts {

    /** One part of the rebuilt tar. */
    public sealed interface Part permits Raw, Body {
    }

    /** Framing bytes, to be written as they are. */
    public record Raw(byte[] bytes) implements Part {
    }

    /** A file body: the content of the entry {@code path} (as written in the tar), {@code size} bytes. */
    public record Body(String path, long size) implements Part {
    }

    private static final int MAX_PATH = 1 << 20;

    private TarSplitParts() {
    }

    /** The parts of {@code record}, for messages naming {@code layer}. */
    public static Flux<Part> of(byte[] record, String layer) {
        return Flux.generate(() -> open(record, layer), (in, sink) -> next(in, sink, layer), TarSplitParts::close);
    }

    private static InputStream open(byte[] record, String layer) {
        try {
            InputStream in = new ZstdInputStream(new ByteArrayInputStream(record));
            byte[] magic = in.readNBytes(TarSplitRecorder.MAGIC.length);
            if (!Arrays.equals(magic, TarSplitRecorder.MAGIC)) {
                in.close();
                throw corrupt(layer, "no OCITSPL1 magic", null);
            }
            return in;
        } catch (IOException e) {
            throw corrupt(layer, e.getMessage(), e);
        }
    }

    private static InputStream next(InputStream in, SynchronousSink<Part> sink, String layer) {
        try {
            int op = in.read();
            switch (op) {
                case TarSplitRecorder.RAW -> {
                    long n = varint(in, layer);
                    if (n <= 0 || n > TarSplitRecorder.MAX_RAW) {
                        throw corrupt(layer, "raw run of " + n + " bytes", null);
                    }
                    sink.next(new Raw(exactly(in, (int) n, layer)));
                }
                case TarSplitRecorder.BODY -> {
                    long n = varint(in, layer);
                    if (n <= 0 || n > MAX_PATH) {
                        throw corrupt(layer, "path of " + n + " bytes", null);
                    }
                    String path = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(exactly(in, (int) n, layer))).toString();
                    long size = varint(in, layer);
                    if (size <= 0) {
                        throw corrupt(layer, "body of " + size + " bytes for '" + path + "'", null);
                    }
                    sink.next(new Body(path, size));
                }
                case TarSplitRecorder.END -> {
                    if (in.read() != -1) {
                        throw corrupt(layer, "bytes after the end", null);
                    }
                    sink.complete();
                }
                case -1 -> throw corrupt(layer, "truncated (no end mark)", null);
                default -> throw corrupt(layer, "unknown operation 0x" + Integer.toHexString(op), null);
            }
        } catch (CharacterCodingException e) {
            sink.error(corrupt(layer, "a path that is not UTF-8", e));
        } catch (IOException e) {
            sink.error(corrupt(layer, e.getMessage(), e));
        } catch (TarSplitException e) {
            sink.error(e);
        } catch (RuntimeException e) { // zstd-jni reports corrupt frames as RuntimeException subclasses
            sink.error(corrupt(layer, e.toString(), e));
        }
        return in;
    }

    private static byte[] exactly(InputStream in, int n, String layer) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw corrupt(layer, "truncated", null);
        }
        return b;
    }

    private static long varint(InputStream in, String layer) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw corrupt(layer, "truncated", null);
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt(layer, "varint too long", null);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // in-memory stream
        }
    }

    private static TarSplitException corrupt(String layer, String why, Throwable cause) {
        return new TarSplitException(layer, "corrupt tar record (" + TarSplitRecorder.METADATA_KEY + "): " + why,
                cause);
    }
}
