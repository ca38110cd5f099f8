package dev.ocitree.operators.compress;

import dev.ocitree.testsupport.PeerTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Produces test inputs with the real compression CLIs (gzip, pigz, zstd, lz4) and decodes with
 * them, through files in a temporary directory, so tests compare our stages with the tools.
 */
final class PeerCodec {

    private final Path dir;
    private int serial;

    PeerCodec(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code command} (a shell pipeline stage, e.g. "gzip -c -9") over {@code input}; returns its stdout. */
    byte[] pipe(byte[] input, String command) {
        return pipe(input, command, 0);
    }

    /** As {@link #pipe(byte[], String)}, accepting {@code okExit} as well as 0 (gzip exits 2 on warnings). */
    byte[] pipe(byte[] input, String command, int okExit) {
        PeerTools.require(command.split(" ")[0]);
        try {
            Path in = dir.resolve("in-" + serial);
            Path out = dir.resolve("out-" + serial);
            serial++;
            Files.write(in, input);
            PeerTools.Result result = PeerTools.run(dir, "sh", "-c",
                    command + " < " + in.getFileName() + " > " + out.getFileName());
            if (result.exitCode() != 0 && result.exitCode() != okExit) {
                result.ok();
            }
            byte[] bytes = Files.readAllBytes(out);
            Files.delete(in);
            Files.delete(out);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exit status of {@code command} reading {@code input} (e.g. "gzip -t"), output discarded. */
    int exitCode(byte[] input, String command) {
        PeerTools.require(command.split(" ")[0]);
        try {
            Path in = dir.resolve("in-" + serial++);
            Files.write(in, input);
            int exit = PeerTools.run(dir, "sh", "-c", command + " < " + in.getFileName() + " > /dev/null").exitCode();
            Files.delete(in);
            return exit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deterministic, realistically compressible bytes: lines of words from a small vocabulary,
     * interrupted by runs of random binary data and of zeros (like a tar of text, binaries, padding).
     */
    static byte[] realistic(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"usr", "lib", "share", "the", "and", "config", "x86_64", "linux", "gnu", "so", "0", "1",
            "python3", "include", "#define", "return", "static", "int", "void", "{", "}", "=", "==", "license"};
        byte[] data = new byte[size];
        int pos = 0;
        while (pos < size) {
            int kind = random.nextInt(10);
            int run = Math.min(size - pos, 1 + random.nextInt(kind == 0 ? 4096 : 512));
            if (kind == 0) {
                byte[] noise = new byte[run];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, data, pos, run);
                pos += run;
            } else if (kind == 1) {
                pos += run;
            } else {
                int end = pos + run;
                while (pos < end) {
                    byte[] word = (words[random.nextInt(words.length)] + (random.nextInt(8) == 0 ? "\n" : " "))
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    int n = Math.min(word.length, end - pos);
                    System.arraycopy(word, 0, data, pos, n);
                    pos += n;
                }
            }
        }
        return data;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int pos = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, pos, part.length);
            pos += part.length;
        }
        return all;
    }
}
