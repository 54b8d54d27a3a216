package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README and the reference pages under docs/ are a spec: every {@code console} block's {@code $ ./jobwatch …}
 * command is run as a real process from the repository root and its output (stdout and stderr, interleaved) compared
 * with the lines below it. A line {@code ...} matches any number of lines, a line ending in {@code ...} matches by
 * prefix, {@code [exit N]} is the expected exit code (default 0). README.md runs first, then docs/*.md by name; an
 * example may read what an earlier one wrote (docs/digests-and-slas.md reads the store of docs/cli.md's demo).
 * Relative links must point at a file of the repository (and at a heading, when they name one), and the README's
 * module list must name exactly the modules of the root pom.
 */
class ReadmeExamplesTest {

    record Example(String command, List<String> expected, int exitCode) {
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeAndDocsExample_printsWhatItSays() throws IOException {
        Path repo = Fixtures.repoRoot();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages(repo)) {
            String name = repo.relativize(page).toString();
            for (Example ex : parse(Files.readAllLines(page))) {
                tests.add(DynamicTest.dynamicTest(name + ": " + ex.command(), () -> check(repo, ex)));
            }
        }
        assertThat(tests).as("README and docs examples").hasSizeGreaterThan(5);
        assertThat(parse(Files.readAllLines(repo.resolve("README.md")))).as("README examples").isNotEmpty();
        return tests.stream();
    }

    @Test
    void everyRelativeLink_pointsAtAFileOfTheRepository_andAtAHeadingWhenItNamesOne() throws IOException {
        Path repo = Fixtures.repoRoot();
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)|<img src=\"([^\"]+)\"");
        for (Path page : pages(repo)) {
            Matcher m = link.matcher(withoutCodeBlocks(Files.readAllLines(page)));
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not checked here
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(repo) || !Files.exists(resolved)) {
                    broken.add(repo.relativize(page) + ": " + target + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(repo.relativize(page) + ": " + target + " (no such heading in " + repo.relativize(resolved) + ")");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void readmeModuleList_namesExactlyTheModulesOfTheBuild() throws IOException {
        Path repo = Fixtures.repoRoot();
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(repo.resolve("pom.xml")))
                .results().map(r -> r.group(1)).sorted().toList();
        String readme = Files.readString(repo.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Modules"), readme.indexOf("\n## ", readme.indexOf("## Modules") + 1));
        List<String> listed = Pattern.compile("(?m)^- `([a-z0-9-]+)` — ").matcher(section).results().map(r -> r.group(1))
                .sorted().toList();
        assertThat(listed).as("modules listed in README.md (one line each: - `name` — what it holds)").isEqualTo(modules);
    }

    /** README.md first, then docs/*.md by file name. */
    static List<Path> pages(Path repo) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(repo.resolve("README.md")));
        try (Stream<Path> docs = Files.list(repo.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static String withoutCodeBlocks(List<String> lines) {
        StringBuilder out = new StringBuilder();
        boolean inCode = false;
        for (String line : lines) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode) {
                out.append(line.replaceAll("`[^`]*`", "")).append('\n');
            }
        }
        return out.toString();
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation other than '-' removed, spaces as '-'. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (!file.toString().endsWith(".md")) {
            return anchors;
        }
        boolean inCode = false;
        for (String line : Files.readAllLines(file)) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("#+ ", "").toLowerCase(java.util.Locale.ROOT);
                String slug = text.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
                String unique = slug;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return anchors;
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
        assertThat(ex.command()).as("examples run the launcher").startsWith("./jobwatch ");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jobwatch.class.getName()));
        cmd.addAll(List.of(ex.command().substring("./jobwatch ".length()).trim().split("\\s+")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().remove(DemoCommand.LAUNCHER_ENV); // examples show the launcher as ./jobwatch
        Process p = pb.start();
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
