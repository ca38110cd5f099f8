package dev.ocitree.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * What can go wrong in a registry request, before the retries decide: the signals a request
 * travels with internally (a redirect, a 401 to answer, an error status, a blob cut short), which of
 * them are transient, and the text of a registry's error body for messages.
 */
final class Faults {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Faults() {
    }

    /** {@code ": CODE: message; CODE: message"} from the registry's error JSON, or its text. */
    static String errors(String body) {
        if (body == null || body.isEmpty()) {
            return "";
        }
        try {
            JsonNode errors = MAPPER.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> parts = new ArrayList<>();
                errors.forEach(e -> parts.add(e.path("code").asText("?") + ": " + e.path("message").asText("")));
                return " (" + String.join("; ", parts) + ")";
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: quote the text
        }
        String text = body.replaceAll("\\s+", " ");
        return " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
    }

    /** A {@code Retry-After} value (seconds or an HTTP date) as a delay, or {@code null}. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    static boolean isTransient(Throwable t) {
        if (t instanceof HttpFailure f) {
            return f.status == 429 || f.status == 408 || (f.status >= 500 && f.status != 501 && f.status != 505);
        }
        if (t instanceof Truncated || t instanceof PrematureCloseException || t instanceof ReadTimeoutException
                || t instanceof AbortedException) {
            return true;
        }
        return t instanceof IOException && !causedBy(t, SSLException.class);
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** A response to follow elsewhere. */
    static final class Redirect extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient URI location;

        Redirect(URI location) {
            super("redirect to " + location, null, false, false);
            this.location = location;
        }
    }

    /** A 401 from the registry, to answer with credentials once. */
    static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<Challenge> challenges;
        final String body;

        Unauthorized(List<Challenge> challenges, String body) {
            super("HTTP 401", null, false, false);
            this.challenges = challenges;
            this.body = body;
        }
    }

    /** A response with an error status (before the retries decide). */
    static final class HttpFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String body;
        final transient Duration retryAfter;

        HttpFailure(int status, String body, Duration retryAfter) {
            super("HTTP " + status, null, false, false);
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }
    }

    /** A blob response that ended early: resumed with a Range request. */
    static final class Truncated extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long received;
        final long size;

        Truncated(long received, long size) {
            super("blob ended after " + received + " of " + size + " bytes", null, false, false);
            this.received = received;
            this.size = size;
        }
    }
}
