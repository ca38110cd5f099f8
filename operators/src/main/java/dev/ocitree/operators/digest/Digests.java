package dev.ocitree.operators.digest;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;

/**
 * Digest stages, each a {@code Function<Flux<ByteBuf>, Flux<ByteBuf>>} to apply with
 * {@code transform}. They pass every chunk through unchanged (the same {@code ByteBuf} objects,
 * neither retained nor released: ownership passes to the subscriber), hash its readable bytes
 * without moving its reader index, and act at completion. Each subscription hashes afresh.
 *
 * <pre>{@code
 * blob.transform(Digests.verify(descriptor.digest(), "layer " + descriptor.digest()))
 *     .transform(Decompressors.gzip(limits))
 *     .transform(Digests.sha256(diffId -> ...));
 * }</pre>
 */
public final class Digests {

    private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64})|(sha512:[0-9a-f]{128})");

    private Digests() {
    }

    /**
     * Verifies the stream against {@code expected} ({@code "sha256:<64 hex>"}, or
     * {@code "sha512:<128 hex>"}): at completion, fails with {@link DigestMismatchException} naming
     * {@code subject} if the digest differs, otherwise completes.
     *
     * @throws InvalidDigestException if {@code expected} is not a well-formed supported digest
     */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> verify(String expected, String subject) {
        Objects.requireNonNull(subject, "subject");
        if (expected == null || !DIGEST.matcher(expected).matches()) {
            throw new InvalidDigestException(subject, expected);
        }
        String algorithm = expected.substring(0, expected.indexOf(':'));
        return chunks -> hashing(chunks, algorithm, actual -> actual.equals(expected) ? null
                : new DigestMismatchException(subject, expected, actual));
    }

    /** Computes the SHA-256 in passing and reports {@code "sha256:<hex>"} at completion, before completing. */
    public static Function<Flux<ByteBuf>, Flux<ByteBuf>> sha256(Consumer<String> onDigest) {
        Objects.requireNonNull(onDigest, "onDigest");
        return chunks -> hashing(chunks, "sha256", digest -> {
            onDigest.accept(digest);
            return null;
        });
    }

    /** The OCI digest ("sha256:<hex>") of a byte array. */
    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(newDigest("sha256").digest(bytes));
    }

    /** {@code atEnd} maps the final digest to an error to signal, or null to complete. */
    private static Flux<ByteBuf> hashing(Flux<ByteBuf> chunks, String algorithm,
            Function<String, RuntimeException> atEnd) {
        return Flux.defer(() -> {
            MessageDigest digest = newDigest(algorithm);
            return chunks.doOnNext(chunk -> update(digest, chunk))
                    .concatWith(Flux.defer(() -> {
                        RuntimeException error = atEnd.apply(algorithm + ":" + HexFormat.of().formatHex(digest.digest()));
                        return error == null ? Flux.empty() : Flux.error(error);
                    }));
        });
    }

    private static void update(MessageDigest digest, ByteBuf chunk) {
        if (chunk.nioBufferCount() == 1) {
            digest.update(chunk.nioBuffer(chunk.readerIndex(), chunk.readableBytes()));
        } else {
            for (ByteBuffer part : chunk.nioBuffers(chunk.readerIndex(), chunk.readableBytes())) {
                digest.update(part);
            }
        }
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
