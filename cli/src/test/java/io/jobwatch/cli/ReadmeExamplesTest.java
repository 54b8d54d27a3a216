package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The README is a spec: every {@code console} block's {@code $ ./jobwatch …} command is run as a real process from
 * the repository root and its output (stdout and stderr, interleaved) compared with the lines below it. A line
 * {@code ...} matches any number of lines, a line ending in {@code ...} matches by prefix, {@code [exit N]} is the
 * expected exit code (default 0).
 */
class ReadmeExamplesTest {

    record Example(String command, List<String> expected, int exitCode) {
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeExample_printsWhatTheReadmeSays() throws IOException {
        Path repo = Fixtures.repoRoot();
        List<Example> examples = parse(Files.readAllLines(repo.resolve("README.md")));
        assertThat(examples).as("README examples").isNotEmpty();
        return examples.stream().map(ex -> DynamicTest.dynamicTest(ex.command(), () -> check(repo, ex)));
    }

    static List<Example> parse(List<String> readme) {
        List<Example> out = new ArrayList<>();
        boolean inConsole = false;
        String command = null;
        List<String> expected = new ArrayList<>();
        for (String line : readme) {
            if (!inConsole && line.trim().equals("```console")) {
                inConsole = true;
                continue;
            }
            if (!inConsole) {
                continue;
            }
            if (line.trim().equals("```") || line.startsWith("$ ")) {
                if (command != null) {
                    out.add(toExample(command, expected));
                }
                command = line.startsWith("$ ") ? line.substring(2).trim() : null;
                expected = new ArrayList<>();
                if (line.trim().equals("```")) {
                    inConsole = false;
                }
                continue;
            }
            expected.add(line);
        }
        return out;
    }

    private static Example toExample(String command, List<String> lines) {
        int exit = 0;
        List<String> expected = new ArrayList<>(lines);
        if (!expected.isEmpty() && expected.get(expected.size() - 1).matches("\\[exit \\d+]")) {
            String last = expected.remove(expected.size() - 1);
            exit = Integer.parseInt(last.substring(6, last.length() - 1));
        }
        return new Example(command, expected, exit);
    }

    private static void check(Path repo, Example ex) throws Exception {
        assertThat(ex.command()).as("README commands run the launcher").startsWith("./jobwatch ");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jobwatch.class.getName()));
        cmd.addAll(List.of(ex.command().substring("./jobwatch ".length()).trim().split("\\s+")));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; output:%n%s", ex.command(), output).isEqualTo(ex.exitCode());
        List<String> actual = output.lines().toList();
        assertThat(matches(ex.expected(), 0, actual, 0))
                .as("output of `%s`%n--- expected ---%n%s%n--- actual ---%n%s", ex.command(),
                        String.join("\n", ex.expected()), output)
                .isTrue();
    }

    /** Line matcher with "..." (any lines) and "prefix..." (line prefix). */
    static boolean matches(List<String> exp, int i, List<String> act, int j) {
        if (i == exp.size()) {
            return j == act.size();
        }
        String e = exp.get(i);
        if (e.equals("...")) {
            for (int k = j; k <= act.size(); k++) {
                if (matches(exp, i + 1, act, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == act.size()) {
            return false;
        }
        String a = act.get(j);
        boolean lineOk = e.endsWith("...") ? a.startsWith(e.substring(0, e.length() - 3)) : a.equals(e);
        return lineOk && matches(exp, i + 1, act, j + 1);
    }
}
