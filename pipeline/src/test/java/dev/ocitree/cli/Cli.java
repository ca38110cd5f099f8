package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line in-process, as {@code ./ocitree} would, capturing stdout, stderr and the exit code. */
public final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run's exit code and output. */
    public record Run(int exit, String out, String err) {

        /** stdout then stderr, for checks that a secret appears in neither. */
        public String all() {
            return out + err;
        }

        /** The last stdout line as JSON (an import's {@code Done} event with {@code --json}). */
        JsonNode lastJson() {
            String last = out.lines().reduce((a, b) -> b).orElseThrow();
            try {
                return JSON.readTree(last);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Cli() {
    }

    public static Run run(String... args) {
        CommandLine cli = OcitreeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * Runs a command that writes bytes to {@link System#out} (as {@code cat} does, bypassing the
     * command line's writer), asserts exit 0, and returns those bytes as UTF-8.
     */
    static String okSystemOut(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            ok(args);
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs and asserts exit 0; returns stdout. */
    static String ok(String... args) {
        Run r = run(args);
        assertThat(r.exit()).as("ocitree %s\n%s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }
}
