package dev.ocitree.cli;

import dev.ocitree.operators.OcitreeException;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;
import reactor.core.Exceptions;

/**
 * Turns an exception into the one line the CLI prints after {@code error: }: the message of
 * ocitree's typed errors (which name the input and the cause), file-system errors in words
 * ({@code /x: no such file or directory}), no Java class names, control characters escaped.
 */
final class CliErrors {

    /** A Java class name with its {@code ": "}, as {@code Throwable.toString()} writes it. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b(?::\\s*)?");

    private CliErrors() {
    }

    static String message(Throwable ex) {
        Throwable t = Exceptions.unwrap(ex);
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t instanceof FileSystemException fs ? words(fs) : t.getMessage();
        if (m == null || m.isBlank()) {
            m = words(t.getClass().getSimpleName());
        }
        for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof FileSystemException fs) {
                m = m.replace(cause.toString(), words(fs));
                if (fs.getFile() != null) {
                    // "to DIR: DIR: already exists" -> "to DIR: already exists"
                    m = m.replace(fs.getFile() + ": " + fs.getFile() + ": ", fs.getFile() + ": ");
                }
            }
        }
        m = CLASS_NAME.matcher(m).replaceAll("").strip();
        // ocitree's own messages are escaped when made (OcitreeException): escaping again would double them
        return t instanceof OcitreeException ? m : CliText.escape(m);
    }

    /** {@code /x: no such file or directory}, as coreutils would say it. */
    static String words(FileSystemException e) {
        String what;
        if (e.getReason() != null) {
            what = e.getReason();
        } else if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "already exists";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "directory not empty";
        } else {
            what = words(e.getClass().getSimpleName());
        }
        String file = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
        return file.isEmpty() ? what : file + ": " + what;
    }

    /** {@code NoSuchFileException} → {@code no such file}: a class name as words, for errors without a message. */
    private static String words(String simpleName) {
        String s = simpleName.replaceAll("(Exception|Error)$", "");
        return s.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
