package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsCommandTest {

    @TempDir
    Path dir;

    private Path fakeRepo() throws Exception {
        Path root = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(root.resolve("infra/src/main/java"));
        Files.writeString(root.resolve("infra/pom.xml"), "<project/>");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve("infra/src/main/java/A.java"), "class A {}");
        return root;
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void touch(Path file, Instant at) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(at));
    }

    @Test
    void findRepoRoot_walksUpFromTheWorkingDirectory_thenFromTheJar() throws Exception {
        Path root = fakeRepo();
        script(root.resolve("mvnw"), "exit 0");
        Path deep = Files.createDirectories(root.resolve("a/b"));
        assertThat(InfraLauncher.findRepoRoot(deep, Optional.empty())).isEqualTo(root);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertThat(InfraLauncher.findRepoRoot(elsewhere, Optional.of(root.resolve("cli/target/jobwatch.jar"))))
                .isEqualTo(root);
        assertThatThrownBy(() -> InfraLauncher.findRepoRoot(elsewhere, Optional.empty()))
                .hasMessageContaining("cannot find the Jobwatch repository (a directory with infra/pom.xml and mvnw)")
                .hasMessageContaining("run jobwatch aws synth from a checkout of the repository");
    }

    @Test
    void stale_whenTheJarIsMissing_orASourceIsNewer_butNotAfterABuild() throws Exception {
        Path root = fakeRepo();
        InfraLauncher launcher = new InfraLauncher(root);
        assertThat(launcher.stale()).as("no jar yet").isTrue();
        Files.createDirectories(root.resolve("infra/target/lib"));
        Files.writeString(root.resolve(InfraLauncher.INFRA_JAR), "jar");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (String f : List.of("infra/pom.xml", "pom.xml", "infra/src/main/java/A.java")) {
            touch(root.resolve(f), t0);
        }
        touch(root.resolve(InfraLauncher.INFRA_JAR), t0.plusSeconds(60));
        assertThat(launcher.stale()).as("jar newer than every source").isFalse();
        touch(root.resolve("infra/src/main/java/A.java"), t0.plusSeconds(120));
        assertThat(launcher.stale()).as("a source changed after the build").isTrue();
    }

    @Test
    void synthCommand_passesAbsoluteOutAndPathContext_andKeepsOtherContextAsIs() throws Exception {
        Path root = fakeRepo();
        List<String> cmd = new InfraLauncher(root).synthCommand(Path.of("out"),
                List.of("orgId=o-a1b2c3d4e5", "catalog=conf/jobwatch.yml"), true);
        assertThat(cmd.get(0)).endsWith("/bin/java");
        assertThat(cmd.subList(1, cmd.size())).containsExactly("-jar",
                root.resolve(InfraLauncher.INFRA_JAR).toString(),
                "--out", Path.of("out").toAbsolutePath().toString(),
                "--context", "orgId=o-a1b2c3d4e5",
                "--context", "catalog=" + Path.of("conf/jobwatch.yml").toAbsolutePath(),
                "--placeholder-code");
    }

    @Test
    void run_streamsTheChildsStdoutAndStderr_andReturnsItsExitCode() throws Exception {
        Path root = fakeRepo();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new InfraLauncher(root).run(List.of("sh", "-c", "echo wrote x; echo warning: y >&2; pwd; exit 3"),
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(3);
        assertThat(out.toString()).isEqualTo("wrote x\n" + root.toRealPath() + "\n");
        assertThat(err.toString()).isEqualTo("warning: y\n");
    }

    @Test
    void synth_buildsTheInfraModuleWhenStale_andStopsWithItsExitCodeWhenTheBuildFails() throws Exception {
        Path root = fakeRepo();
        script(root.resolve("mvnw"), "echo \"mvnw $*\"; exit 7");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new InfraLauncher(root).synth(dir.resolve("templates"), List.of(), false,
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(7);
        assertThat(out.toString()).isEqualTo("mvnw -q -B -pl infra -am package -DskipTests\n");
        assertThat(err.toString()).contains("building the infra module (first run or sources changed)")
                .contains("building the infra module failed (exit 7, see above)");
    }

    @Test
    void awsSynth_withoutOut_isAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                "aws", "synth");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
    }

    @Test
    void aws_listsSynthInItsUsage() {
        StringWriter out = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                new PrintWriter(new StringWriter()), "aws");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("synth").contains("Write the CloudFormation templates");
    }
}
