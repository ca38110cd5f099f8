package dev.ocitree.cli;

import dev.ocitree.ostree.repo.FsckReport;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "fsck", description = {"Check every object's checksum (like ostree fsck).",
        "Reports corrupt and missing objects; exits 1 when there is any."})
final class FsckCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        FsckReport report = repo.fsck().block();
        report.corrupt().forEach(p -> err().println("corrupt: " + CliText.escape(String.valueOf(p))));
        report.missing().forEach(p -> err().println("missing: " + CliText.escape(String.valueOf(p))));
        out().println("checked " + CliText.count(report.objectsChecked(), "object") + ", "
                + CliText.count(report.commitsChecked(), "commit") + ": " + report.corrupt().size() + " corrupt, "
                + report.missing().size() + " missing");
        return report.ok() ? 0 : 1;
    }
}
