package dev.ocitree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ocitree.testimages.HelloOciExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./ocitree} launcher (on this test's classpath, so without building a jar): exit
 * codes, OSTREE_REPO, progress on a pipe.
 */
class LauncherTest {

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private Result launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../ocitree").normalize();
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
        pb.environment().remove("OSTREE_REPO");
        pb.environment().put("OCITREE_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("OCITREE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("OCITREE_HEAP", "128m");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ocitree %s finished", List.of(args)).isTrue();
        return new Result(p.exitValue(), Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    /**
     * A copy of the launcher in a project whose jar is missing, with stand-ins for {@code mvn} (that
     * writes Maven 3.8's colour codes, and fails when told to) and {@code java}, to watch what the
     * first build shows.
     */
    private Result firstBuild(boolean mavenFails) throws IOException, InterruptedException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path launcher = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../ocitree").normalize();
        Files.copy(launcher, project.resolve("ocitree"));
        for (String f : List.of("pom.xml", "operators/pom.xml", "pipeline/pom.xml")) {
            Files.createDirectories(project.resolve(f).getParent());
            Files.writeString(project.resolve(f), "<project/>\n");
        }
        Files.createDirectories(project.resolve("operators/src/main"));
        Files.createDirectories(project.resolve("pipeline/src/main"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("mvn"), "printf '\\033[0m\\033[1m[INFO] Scanning for projects...\\033[m\\n'\n"
                + (mavenFails ? "printf '\\033[1;31m[ERROR] COMPILATION ERROR: Foo.java:[3,1] ; expected\\033[m\\n'; exit 1\n"
                        : "mkdir -p pipeline/target && echo jar > pipeline/target/ocitree.jar\n"));
        script(bin.resolve("java"), "echo \"java $*\"\n");
        ProcessBuilder pb = new ProcessBuilder(project.resolve("ocitree").toString(), "--version").directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("OCITREE_JAR");
        pb.environment().remove("OCITREE_CLASSPATH");
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("OCITREE_JAVA", bin.resolve("java").toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(tmp.resolve("stdout")), Files.readString(tmp.resolve("stderr")));
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        file.toFile().setExecutable(true);
    }

    @Test
    void theFirstBuildIsOneLineWithoutEscapeCodes() throws Exception {
        Result r = firstBuild(false);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).hasSize(1).first().asString().startsWith("ocitree: building");
        assertThat(r.out()).contains("java ").contains("--version").doesNotContain("\u001b");
    }

    @Test
    void aFailedFirstBuildShowsMavensOutputWithoutEscapeCodes() throws Exception {
        Result r = firstBuild(true);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("[ERROR] COMPILATION ERROR: Foo.java:[3,1] ; expected", "the build failed")
                .doesNotContain("\u001b");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void noCommandIsUsageOnStderrAndExitTwo() throws Exception {
        Result r = launch(Map.of());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: ocitree");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void repositoryFromEnvironmentOrAfterTheCommandAndEmptyIsAnError() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(launch(Map.of(), "init", "--repo=" + repo, "--mode=archive").exit()).isZero();
        Result fromEnv = launch(Map.of("OSTREE_REPO", repo.toString()), "refs");
        assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();
        Result empty = launch(Map.of("OSTREE_REPO", ""), "refs");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).startsWith("error: empty repository path");
        Result none = launch(Map.of(), "refs");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: no repository");
        Result failure = launch(Map.of(), "log", "nosuchref", "--repo", repo.toString());
        assertThat(failure.exit()).isEqualTo(1);
        assertThat(failure.err().lines().toList()).hasSize(1).first().asString().startsWith("error: ")
                .contains("nosuchref").doesNotContain("Exception");
    }

    @Test
    void importOnAPipeReportsEachLayerWithoutEscapeCodes() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(launch(Map.of(), "--repo=" + repo, "init", "--mode=bare-user-only").exit()).isZero();
        Result r = launch(Map.of(), "import", "oci:" + HelloOciExample.committedLayout() + ":latest", "--repo=" + repo);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("\u001b");
        assertThat(r.err().lines().filter(l -> l.startsWith("layer ") && l.contains(" done ("))).hasSize(2);
        assertThat(r.out()).contains("2 layers (0 already in the repository)");
    }
}
