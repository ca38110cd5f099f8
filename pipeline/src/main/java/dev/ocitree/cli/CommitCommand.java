package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.repo.CommitRequest;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "commit", description = {"Commit a directory (like ostree commit); prints the checksum.",
        "The same options give the same checksum as ostree."})
final class CommitCommand extends RepoCommand {

    @Option(names = "--tree", required = true, paramLabel = "dir=DIR", description = "The directory to commit, as dir=DIR.")
    String tree;

    @Option(names = {"-b", "--branch"}, paramLabel = "BRANCH",
            description = "Branch to move; its commit becomes the parent; adds ostree.ref-binding.")
    String branch;

    @Option(names = {"-s", "--subject"}, defaultValue = "", paramLabel = "SUBJECT", description = "One-line subject.")
    String subject;

    @Option(names = {"-m", "--body"}, defaultValue = "", paramLabel = "BODY", description = "Full description.")
    String body;

    @Option(names = "--timestamp", paramLabel = "TIME",
            description = "@EPOCH, 2021-01-01T00:00:00Z, '2021-01-01 00:00:00 +0000' or 2021-01-01 (default: now).")
    String timestamp;

    @Option(names = "--add-metadata-string", paramLabel = "KEY=VALUE", description = "String metadata (repeatable).")
    List<String> metadata = new ArrayList<>();

    @Option(names = "--parent", paramLabel = "CHECKSUM|none", description = "Explicit parent commit, or none (default: the branch's commit).")
    String parentOption;

    @Option(names = "--orphan", description = "Create a commit without a ref.")
    boolean orphan;

    @Option(names = "--no-bindings", description = "Do not add ostree.ref-binding.")
    boolean noBindings;

    @Override
    int run(OstreeRepository repo) {
        if (!tree.startsWith("dir=")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tree must be dir=DIR, got '"
                    + CliText.escape(tree) + "'");
        }
        if (branch == null && !orphan) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a branch (-b) is required unless --orphan");
        }
        long time = timestamp == null ? Instant.now().getEpochSecond() : parseTimestamp(timestamp);
        Path dir = Path.of(tree.substring(4));
        if (!Files.isDirectory(dir)) {
            throw new CommandFailedException("cannot commit " + CliText.escape(tree) + ": "
                    + (Files.exists(dir) ? "not a directory" : "no such file or directory"));
        }
        Checksum commit = repo.transaction(repo.writeDirectory(dir).flatMap(root -> {
            CommitRequest req = CommitRequest.of(root.tree(), root.meta()).withSubject(subject).withBody(body)
                    .withTimestamp(time);
            for (String kv : metadata) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--add-metadata-string needs KEY=VALUE, got '" + CliText.escape(kv) + "'");
                }
                req = req.withMetadataString(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (!orphan) {
                req = req.withRef(branch);
            }
            if (noBindings) {
                req = req.withoutRefBinding();
            }
            if ("none".equals(parentOption)) {
                req = req.orphan();
            } else if (parentOption != null) {
                req = req.withParent(Checksum.fromHex(parentOption));
            }
            return repo.commit(req);
        })).block();
        out().println(commit.hex());
        return 0;
    }

    private long parseTimestamp(String t) {
        try {
            if (t.startsWith("@")) {
                return Long.parseLong(t.substring(1));
            }
            if (t.contains("T")) {
                return OffsetDateTime.parse(t).toEpochSecond();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toEpochSecond();
            }
            return OffsetDateTime.parse(t, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z")).toEpochSecond();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot parse --timestamp=" + CliText.escape(t)
                    + ": use @EPOCH, 2021-01-01T00:00:00Z, '2021-01-01 00:00:00 +0000' or 2021-01-01");
        }
    }
}
