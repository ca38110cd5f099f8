package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = {"Write files of a commit to stdout (like ostree cat).",
        "Symlinks are followed inside the commit: a relative target from the link's directory,",
        "an absolute one from the commit's root."})
final class CatCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF", description = "A ref, a commit checksum, either with ^ for a parent.")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Files in the commit, e.g. /etc/os-release.")
    List<String> paths;

    /** Where the bytes go; stdout unless a test replaces it. */
    OutputStream sink = System.out;

    @Override
    int run(OstreeRepository repo) throws IOException {
        Checksum commit = commit(repo, ref);
        for (String p : paths) {
            repo.readFile(commit, p).doOnNext(buf -> {
                try {
                    buf.readBytes(sink, buf.readableBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    buf.release();
                }
            }).blockLast();
        }
        sink.flush();
        return 0;
    }
}
