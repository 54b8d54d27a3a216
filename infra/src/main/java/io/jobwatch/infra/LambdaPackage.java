package io.jobwatch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda deployment packages, one directory per function that CDK zips into its asset:
 * {@code lib/jobwatch-lambda.jar} (on the Java runtime's class path) and {@code jobwatch.yml} at the root, which the
 * runtime extracts to {@link JobwatchNames#CATALOG_PATH_IN_LAMBDA}.
 *
 * <p>Each function gets its own jar, {@code jobwatch-lambda-<task>.jar} (the lambda module builds one per handler
 * with only the SDK services that handler calls: smaller packages, faster cold starts), found next to the given jar;
 * when a task has no such sibling, the given jar itself is used (e.g. one custom jar for every function). When no jar
 * has been built, one placeholder directory is used so that synthesis never needs the lambda build; such a template
 * must not be deployed (the stack warns).
 *
 * @param dir         the placeholder directory, or the first task's directory
 * @param placeholder true when no handler jar is inside
 * @param hasCatalog  true when jobwatch.yml is inside
 * @param taskDirs    task → its staged directory (empty for the placeholder)
 */
public record LambdaPackage(Path dir, boolean placeholder, boolean hasCatalog, Map<String, Path> taskDirs) {

    public LambdaPackage {
        taskDirs = Map.copyOf(taskDirs);
    }

    /** Stages the jar of every task of {@link CentralStack#TASKS}; see {@link #stage(Path, Path, Path, List)}. */
    public static LambdaPackage stage(Path jar, Path catalog, Path stagingDir) {
        return stage(jar, catalog, stagingDir, CentralStack.TASKS);
    }

    /**
     * Stages, for each task, {@code jobwatch-lambda-<task>.jar} next to {@code jar} (else {@code jar}) and
     * {@code catalog} (optional) into {@code stagingDir/<task>}; with {@code jar} null, a placeholder.
     */
    public static LambdaPackage stage(Path jar, Path catalog, Path stagingDir, List<String> tasks) {
        try {
            Files.createDirectories(stagingDir);
            if (catalog != null) {
                require(catalog, "catalog", "pass the path of your jobwatch.yml");
            }
            if (jar == null) {
                // Fixed content so the asset hash, and so the template, is the same on every synth.
                Files.writeString(stagingDir.resolve("PLACEHOLDER.txt"),
                        "Placeholder: synthesized without the lambda module's jars. Do not deploy.\n",
                        StandardCharsets.UTF_8);
                copyCatalog(catalog, stagingDir);
                return new LambdaPackage(stagingDir, true, catalog != null, Map.of());
            }
            require(jar, "lambdaJar", "build it with ./mvnw -pl lambda -am package -DskipTests");
            Map<String, Path> dirs = new LinkedHashMap<>();
            for (String task : tasks) {
                Path own = jar.resolveSibling("jobwatch-lambda-" + task + ".jar");
                Path dir = stagingDir.resolve(task);
                Path lib = Files.createDirectories(dir.resolve("lib"));
                Files.copy(Files.isRegularFile(own) ? own : jar, lib.resolve("jobwatch-lambda.jar"),
                        StandardCopyOption.REPLACE_EXISTING);
                copyCatalog(catalog, dir);
                dirs.put(task, dir);
            }
            return new LambdaPackage(dirs.isEmpty() ? stagingDir : dirs.values().iterator().next(), false,
                    catalog != null, dirs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the Lambda package in " + stagingDir + ": " + e.getMessage(), e);
        }
    }

    /** The directory of {@code task}'s asset. */
    public Path dirFor(String task) {
        return taskDirs.getOrDefault(task, dir);
    }

    private static void copyCatalog(Path catalog, Path dir) throws IOException {
        if (catalog != null) {
            Files.copy(catalog, dir.resolve("jobwatch.yml"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void require(Path file, String key, String fix) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("context " + key + ": expected an existing file, found '" + file
                    + "' (" + fix + ")");
        }
    }
}
