package dev.ocitree.cli;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.repo.OstreeRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = "Write the content of files of a commit to stdout (like ostree cat).")
final class CatCommand extends RepoCommand {

    @Parameters(index = "0", paramLabel = "REF")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    /** Where the bytes go; stdout unless a test replaces it. */
    OutputStream sink = System.out;

    @Override
    int run(OstreeRepository repo) throws IOException {
        Checksum commit = repo.resolveCommit(ref).block();
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
