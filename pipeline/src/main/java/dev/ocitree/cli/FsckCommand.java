package dev.ocitree.cli;

import dev.ocitree.ostree.repo.FsckReport;
import dev.ocitree.ostree.repo.OstreeRepository;
import picocli.CommandLine.Command;

@Command(name = "fsck", description = "Re-hash every object; report corrupt and missing objects (exit 1 if any).")
final class FsckCommand extends RepoCommand {

    @Override
    int run(OstreeRepository repo) {
        FsckReport report = repo.fsck().block();
        report.corrupt().forEach(p -> spec.commandLine().getErr().println("corrupt: " + p));
        report.missing().forEach(p -> spec.commandLine().getErr().println("missing: " + p));
        out().println("checked " + report.objectsChecked() + " objects, " + report.commitsChecked() + " commits: "
                + report.corrupt().size() + " corrupt, " + report.missing().size() + " missing");
        spec.commandLine().getErr().flush();
        return report.ok() ? 0 : 1;
    }
}
