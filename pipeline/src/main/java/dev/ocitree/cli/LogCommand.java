package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Commit;
import dev.ocitree.ostree.ObjectType;
import dev.ocitree.ostree.gvariant.Variant;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "log", description = "Show a commit and its ancestors (like ostree log).")
final class LogCommand extends RepoCommand {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'")
            .withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "REF", description = "A ref, a commit checksum, either with ^ for a parent.")
    String ref;

    @Override
    int run(OstreeRepository repo) {
        PrintWriter out = out();
        Checksum c = commit(repo, ref);
        while (c != null) {
            Commit commit = repo.loadCommit(c).block();
            out.println("commit " + c.hex());
            if (commit.parent() != null) {
                out.println("Parent:  " + commit.parent().hex());
            }
            out.println("ContentChecksum:  " + commit.contentChecksum().hex());
            out.println("Date:  " + DATE.format(Instant.ofEpochSecond(commit.timestampSeconds())));
            Variant version = commit.metadata().get("version");
            if (version != null && version.type().equals("s")) {
                out.println("Version: " + version.asString());
            }
            out.println();
            out.println("    " + commit.subject());
            out.println();
            if (!commit.body().isEmpty()) {
                commit.body().lines().forEach(l -> out.println("    " + l));
                out.println();
            }
            c = commit.parent();
            if (c != null && !repo.has(ObjectType.COMMIT, c).block()) {
                out.println("<< History beyond this commit not fetched >>");
                c = null;
            }
        }
        return 0;
    }
}
