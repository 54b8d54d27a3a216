package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.testing.Chromium;
import io.jobwatch.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/provision, the script the build runs before the tests: a machine without chromium (a PATH without it, with
 * and without apt-get, as root and as another user) gets one line naming the install command; the skip rules keep it
 * out of builds that run no tests; two builds installing the npm test servers at once install them once.
 */
class ProvisionScriptTest {
    private static final Path REPO = Fixtures.repoRoot();
    private static final String NO_APT = "jobwatch build: the rendering tests need a headless Chromium, which is missing,"
            + " and this build cannot install it (this machine has no apt-get). Install chromium with this machine's"
            + " package manager and put it on the PATH (or set JOBWATCH_CHROMIUM to a Chromium or Chrome binary)";
    private static final String NOT_ROOT = "jobwatch build: the rendering tests need a headless Chromium, which is"
            + " missing, and this build cannot install it (not root, no passwordless sudo). Install it with: sudo apt-get"
            + " install -y chromium (or set JOBWATCH_CHROMIUM to a Chromium or Chrome binary)";

    @TempDir
    Path dir;

    record Run(int exit, String stdout, List<String> stderr) {
    }

    @Test
    void noChromium_andNoAptGet_stopsWithOneLineNamingWhatToDo() throws Exception {
        Run run = provision(bin(false), false, "chromium");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).containsExactly(NO_APT);
    }

    @Test
    void noChromium_withAptGet_butNotRoot_stopsWithOneLineNamingTheSudoAptGetCommand() throws Exception {
        Run run = provision(bin(true), true, "chromium");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).containsExactly(NOT_ROOT);
    }

    @Test
    void aMachineWithAnotherPackageManager_getsItsCommand() throws Exception {
        Path bin = bin(false);
        command(bin, "dnf", "/bin/true");

        Run run = provision(bin, true, "chromium");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).singleElement().asString().contains("Install it with: sudo dnf install -y chromium");
    }

    @Test
    void aBrowserOnThePath_orNamedByJobwatchChromium_isUsed_andPrinted() throws Exception {
        String real = Chromium.binary();
        Path bin = bin(false);
        command(bin, "chromium", real);

        Run onPath = provision(bin, false, "--print", "chromium");
        assertThat(onPath.exit()).as(String.join("\n", onPath.stderr())).isZero();
        assertThat(onPath.stdout().strip()).isEqualTo(bin.resolve("chromium").toString());

        Run named = provision(bin(false), false, Map.of("JOBWATCH_CHROMIUM", real), "--print", "chromium");
        assertThat(named.exit()).isZero();
        assertThat(named.stdout().strip()).isEqualTo(real);

        Run broken = provision(bin(false), false, Map.of("JOBWATCH_CHROMIUM", dir.resolve("nothing").toString()), "chromium");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.stderr()).singleElement().asString()
                .startsWith("jobwatch build: JOBWATCH_CHROMIUM=" + dir.resolve("nothing") + " does not run");
    }

    @Test
    void buildsThatRunNoTests_provideNothing_andBuildsThatDo_provide() throws Exception {
        Path bin = bin(false); // no chromium, no apt-get: providing would fail, so exit 0 means it was not attempted
        assertThat(provision(bin, false, "--skip=true", "--skip=${maven.test.skip}", "chromium").exit()).isZero();
        assertThat(provision(bin, false, "--skip=${skipTests}", "--skip=true", "chromium").exit()).isZero();
        assertThat(provision(bin, false, "--selected=[notify]", "--goals=[verify]", "chromium").exit()).isZero();
        assertThat(provision(bin, false, "--selected=[]", "--goals=[compile]", "chromium").exit()).isZero();
        assertThat(provision(bin, false, "--selected=[]", "--goals=[test-compile]", "chromium").exit()).isZero();
        assertThat(provision(bin, false, "").exit()).isZero();

        assertThat(provision(bin, false, "--skip=${skipTests}", "--skip=false", "chromium").stderr()).containsExactly(NO_APT);
        assertThat(provision(bin, false, "--selected=[]", "--goals=[clean, verify]", "npm,chromium").stderr())
                .containsExactly("jobwatch build: node and npm are missing (the DynamoDB and S3 test servers are npm"
                        + " packages). Install nodejs npm with this machine's package manager and put it on the PATH");
        assertThat(provision(bin, false, "--goals=[surefire:test]", "chromium").stderr()).containsExactly(NO_APT);
    }

    @Test
    void twoBuildsAtOnce_installTheNpmTestServersOnce_andBothFindThem() throws Exception {
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("tools"));
        for (String f : List.of("package.json", "package-lock.json", "tools/provision")) {
            Files.copy(REPO.resolve(f), checkout.resolve(f));
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JOBWATCH_PROVISION_LOCK_DIR", dir.toString());
        List<Process> builds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder("bash", checkout.resolve("tools/provision").toString(), "npm")
                    .redirectOutput(dir.resolve("out-" + i).toFile()).redirectError(dir.resolve("err-" + i).toFile());
            pb.environment().putAll(env);
            builds.add(pb.start());
        }
        List<String> installs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertThat(builds.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            String err = Files.readString(dir.resolve("err-" + i));
            assertThat(builds.get(i).exitValue()).as(err).isZero();
            err.lines().filter(l -> l.contains("npm ci")).forEach(installs::add);
        }
        assertThat(installs).containsExactly("jobwatch build: installing the npm test servers (npm ci: dynalite, s3rver)…");
        assertThat(checkout.resolve("node_modules/dynalite/cli.js")).isRegularFile();
        assertThat(checkout.resolve("node_modules/s3rver/bin/s3rver.js")).isRegularFile();

        // Up to date now: another run does nothing; a package at another version is installed again.
        assertThat(provision(checkout, Map.of(), "npm").stderr()).isEmpty();
        Path pkg = checkout.resolve("node_modules/dynalite/package.json");
        Files.writeString(pkg, Files.readString(pkg).replaceFirst("\"version\": \"[^\"]+\"", "\"version\": \"0.0.1\""));
        assertThat(provision(checkout, Map.of(), "npm").stderr())
                .containsExactly("jobwatch build: installing the npm test servers (npm ci: dynalite, s3rver)…");
        assertThat(Files.readString(pkg)).contains("\"version\": \"4.0.0\"");
    }

    /**
     * A PATH holding only the few commands the script uses from outside bash (and apt-get when asked): a machine on
     * which chromium is not installed, whatever this one has.
     */
    private Path bin(boolean withAptGet) throws IOException {
        Path bin = Files.createTempDirectory(dir, "bin");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> commands = new ArrayList<>(List.of("mktemp", "tail", "flock", "cksum", "cut", "readlink"));
        if (withAptGet) {
            commands.add("apt-get");
        }
        for (String c : commands) {
            command(bin, c, which(c).toString());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** bin/NAME: a two-line script running {@code target} (a copy of a command, so nothing links out of the temp folder). */
    private static void command(Path bin, String name, String target) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\nexec '" + target + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path which(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(command + " is not on the PATH of this machine");
    }

    private Run provision(Path bin, boolean asAnotherUser, String... args) throws Exception {
        return provision(bin, asAnotherUser, Map.of(), args);
    }

    /** Runs the repository's tools/provision with only {@code bin} on the PATH, as another user when asked (and root). */
    private Run provision(Path bin, boolean asAnotherUser, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asAnotherUser && isRoot()) {
            cmd.addAll(List.of(which("setpriv").toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("/bin/bash", REPO.resolve("tools/provision").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("JOBWATCH_PROVISION_LOCK_DIR", dir.toString());
        pb.environment().putAll(extraEnv);
        return run(pb);
    }

    /** Runs a checkout's tools/provision with this machine's environment. */
    private Run provision(Path checkout, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", checkout.resolve("tools/provision").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JOBWATCH_PROVISION_LOCK_DIR", dir.toString());
        pb.environment().putAll(extraEnv);
        return run(pb);
    }

    private Run run(ProcessBuilder pb) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return uid.equals("0");
    }
}
