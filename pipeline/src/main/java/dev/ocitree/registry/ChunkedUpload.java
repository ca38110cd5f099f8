package dev.ocitree.registry;

import dev.ocitree.operators.digest.DigestMismatchException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One blob upload session (opened by {@code POST /v2/NAME/blobs/uploads/}) fed from a
 * {@code Flux<ByteBuf>} whose digest is computed in passing.
 *
 * <p>Chunks are gathered (not copied: a {@link CompositeByteBuf} of the incoming buffers) until
 * {@code chunkSize} bytes are there (an incoming buffer that crosses the boundary is split into two
 * retained slices); then those exactly {@code chunkSize} bytes go as {@code PATCH LOCATION} with
 * {@code Content-Range: START-END}, {@code Content-Length} and
 * {@code Content-Type: application/octet-stream}, and the next part is gathered only when the
 * registry has answered 202 (each answer's {@code Location} is the next request's, its
 * {@code Range: 0-END} must cover the bytes sent). At the end of the stream, a blob that never filled
 * a chunk is sent whole with one {@code PUT LOCATION?digest=D} (monolithic); otherwise the rest is
 * {@code PATCH}ed and an empty {@code PUT LOCATION?digest=D} closes the upload. The registry's 201
 * must name the same digest.
 *
 * <p>Memory: one part being gathered, at most {@code chunkSize} plus one incoming buffer, and
 * a few buffers queued ahead (prefetch 2). Ownership: each incoming buffer is owned by the part it
 * was added to; a part is released once its request is over (reactor-netty releases the duplicate it
 * writes); on error or cancellation the part being gathered is released, buffers still queued are
 * released by the discard hook, and the upload is cancelled with {@code DELETE LOCATION} once the
 * {@code PATCH} in flight, if any, is over (it is not cut short: a cut {@code PATCH} would leave the
 * registry at an offset the last {@code Location} does not name, and distribution refuses a
 * {@code DELETE} with a stale state). The {@code DELETE} is best effort: its failure is ignored.
 */
final class ChunkedUpload {

    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistryClient client;
    private final int chunkSize;
    private final String expectedDigest;
    private final MessageDigest sha256;
    private URI location;
    private CompositeByteBuf part;
    private long committed;
    private boolean patched;
    private volatile boolean finished;
    private volatile Mono<Void> inFlight;

    /**
     * @param expectedDigest the digest the bytes must have, or null when the caller does not know it
     */
    ChunkedUpload(RegistryClient client, URI location, int chunkSize, String expectedDigest) {
        this.client = client;
        this.location = location;
        this.chunkSize = chunkSize;
        this.expectedDigest = expectedDigest;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads every byte of {@code data} (each chunk consumed and released) and closes the upload. */
    Mono<RegistryPush.PushedBlob> upload(Flux<ByteBuf> data) {
        return data.concatMap(this::add, 2)
                .then(Mono.defer(this::finish))
                .onErrorResume(e -> abandon().then(Mono.error(e)))
                .doOnCancel(() -> abandon().subscribe())
                .doFinally(signal -> releasePart())
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    /** Hashes and gathers one buffer; sends the part when it holds a chunk. */
    private synchronized Mono<Void> add(ByteBuf chunk) {
        if (finished) {
            chunk.release();
            return Mono.empty();
        }
        for (ByteBuffer b : chunk.nioBuffers(chunk.readerIndex(), chunk.readableBytes())) {
            sha256.update(b);
        }
        List<ByteBuf> full = new ArrayList<>();
        ByteBuf rest = chunk;
        while (rest != null && rest.isReadable()) {
            if (part == null) {
                part = Unpooled.compositeBuffer(Integer.MAX_VALUE);
            }
            int need = chunkSize - part.readableBytes();
            if (rest.readableBytes() < need) {
                part.addComponent(true, rest);
                rest = null;
            } else {
                part.addComponent(true, rest.readRetainedSlice(need));
                full.add(part);
                part = null;
            }
        }
        if (rest != null) {
            rest.release();
        }
        if (full.isEmpty()) {
            return Mono.empty();
        }
        // slices not yet sent when the upload is cancelled are released by the discard hook
        return Flux.fromIterable(full).concatMap(this::patch).then();
    }

    private synchronized ByteBuf takePart() {
        ByteBuf taken = part == null ? Unpooled.EMPTY_BUFFER : part;
        part = null;
        return taken;
    }

    private synchronized void releasePart() {
        finished = true;
        if (part != null) {
            ReferenceCountUtil.safeRelease(part);
            part = null;
        }
    }

    /** {@code PATCH} of one part; the part is released when the request is over. */
    private Mono<Void> patch(ByteBuf bytes) {
        long start = committed;
        long end = start + bytes.readableBytes() - 1;
        String what = "blob upload, bytes " + start + "-" + end;
        patched = true;
        Mono<Void> request = client.exchange(HttpMethod.PATCH, what, location,
                        Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), OCTET_STREAM,
                                HttpHeaderNames.CONTENT_LENGTH.toString(), Integer.toString(bytes.readableBytes()),
                                "Content-Range", start + "-" + end),
                        bytes::retainedDuplicate,
                        (res, body) -> body.then(Mono.fromRunnable(() -> accepted(res.status().code(),
                                res.responseHeaders().get(HttpHeaderNames.LOCATION),
                                res.responseHeaders().get("Range"), end, what))))
                .then()
                .onErrorMap(e -> client.failure(what, e))
                .doFinally(signal -> bytes.release())
                .cache();
        // started here and not cut short by a cancellation: abandon() waits for it, so its DELETE
        // carries the upload's latest state (distribution refuses a stale one and keeps the upload)
        inFlight = request;
        request.subscribe(ok -> { }, failed -> { });
        return request;
    }

    /** Checks a PATCH's 202 and takes its Location for the next request. */
    private void accepted(int status, String next, String range, long end, String what) {
        if (status != 202) {
            throw new RegistryException(client.where() + ", " + what + ": HTTP " + status + ", not 202 Accepted");
        }
        if (range != null && !range.isBlank()) {
            String r = range.trim().startsWith("bytes=") ? range.trim().substring(6) : range.trim();
            int dash = r.indexOf('-');
            long got;
            try {
                got = Long.parseLong(r.substring(dash + 1).trim());
            } catch (RuntimeException e) {
                got = Long.MIN_VALUE;
            }
            if (dash < 0 || got != end) {
                throw new RegistryException(client.where() + ", " + what + ": the registry answered Range: " + range
                        + ", not the 0-" + end + " sent");
            }
        }
        committed = end + 1;
        if (next != null && !next.isBlank()) {
            location = location.resolve(next);
        }
    }

    /** The rest of the blob: one monolithic PUT, or a last PATCH and the closing PUT. */
    private Mono<RegistryPush.PushedBlob> finish() {
        ByteBuf rest = takePart();
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            rest.release();
            return Mono.error(new DigestMismatchException("blob pushed to " + client.where(), expectedDigest, digest));
        }
        Mono<Void> last = patched && rest.isReadable() ? patch(rest) : Mono.empty();
        ByteBuf body = patched ? Unpooled.EMPTY_BUFFER : rest;
        if (patched && !rest.isReadable()) {
            rest.release();
        }
        String what = "blob " + digest + (patched ? ", closing PUT" : ", monolithic PUT");
        return last.then(Mono.defer(() -> {
            String sep = location.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(location + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
            long total = patched ? committed : body.readableBytes();
            return client.exchange(HttpMethod.PUT, what, put,
                            Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), OCTET_STREAM,
                                    HttpHeaderNames.CONTENT_LENGTH.toString(), Integer.toString(body.readableBytes())),
                            body::retainedDuplicate,
                            (res, resBody) -> resBody.then(Mono.justOrEmpty(res.responseHeaders().get("Docker-Content-Digest"))
                                    .defaultIfEmpty(digest)))
                    .next()
                    .onErrorMap(e -> client.failure(what, e))
                    .flatMap(stored -> {
                        finished = true;
                        return stored.equals(digest) ? Mono.just(new RegistryPush.PushedBlob(digest, total,
                                RegistryPush.Outcome.UPLOADED)) : Mono.error(new RegistryException(client.where() + ", "
                                + what + ": the registry stored " + stored));
                    });
        })).doFinally(s -> body.release());
    }

    /** Cancels the upload unless it completed: {@code DELETE LOCATION}, errors ignored. */
    private Mono<Void> abandon() {
        return Mono.defer(() -> {
            if (finished) {
                return Mono.empty();
            }
            finished = true;
            Mono<Void> pending = inFlight == null ? Mono.empty() : inFlight.onErrorResume(e -> Mono.empty());
            return pending.then(Mono.defer(() -> client.exchange(HttpMethod.DELETE, "blob upload cancel", location, Map.of(), null,
                            (res, body) -> body.then())
                    .then()
                    .onErrorResume(e -> Mono.empty())));
        });
    }
}
