package dev.ocitree.operators.tar;

import io.netty.buffer.ByteBuf;

/**
 * Receives, in stream order, every byte of a tar stream that is not a regular file's body (header
 * blocks including PAX and GNU long-name members and their data, padding, the end-of-archive
 * blocks and anything after them), and a marker where each non-empty body was: together exactly
 * what is needed to rebuild the stream byte for byte from the bodies (what tar-split records).
 * Given to {@link TarParser#parse(dev.ocitree.operators.StreamLimits, TarFraming)}.
 *
 * <p>Called on the parsing thread, serially, before the events of the same bytes are emitted;
 * implementations must not block. Buffers passed in are only lent for the duration of the call.
 */
public interface TarFraming {

    /** Bytes that are not file body: {@code length} bytes of {@code bytes} from {@code offset}. */
    void framing(byte[] bytes, int offset, int length);

    /** Bytes that are not file body: the readable bytes of {@code bytes} (lent, not to be released or kept). */
    void framing(ByteBuf bytes);

    /** The body of {@code entry} ({@link TarEntry#size()} bytes, more than 0) comes here in the stream. */
    void body(TarEntry entry);

    /** Records nothing. */
    TarFraming NONE = new TarFraming() {
        @Override
        public void framing(byte[] bytes, int offset, int length) {
        }

        @Override
        public void framing(ByteBuf bytes) {
        }

        @Override
        public void body(TarEntry entry) {
        }
    };
}
