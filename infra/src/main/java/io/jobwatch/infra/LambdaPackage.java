package io.jobwatch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Lambda deployment package as a directory CDK zips into one asset: {@code lib/jobwatch-lambda.jar} (on the Java
 * runtime's class path) and {@code jobwatch.yml} at the root, which the runtime extracts to
 * {@link JobwatchNames#CATALOG_PATH_IN_LAMBDA}. When the lambda jar has not been built, a placeholder directory is
 * used so that synthesis never needs the lambda build; such a template must not be deployed (the stack warns).
 *
 * @param dir         the staged directory
 * @param placeholder true when no handler jar is inside
 * @param hasCatalog  true when jobwatch.yml is inside
 */
public record LambdaPackage(Path dir, boolean placeholder, boolean hasCatalog) {

    /** Stages {@code jar} (or a placeholder when null) and {@code catalog} (optional) into {@code stagingDir}. */
    public static LambdaPackage stage(Path jar, Path catalog, Path stagingDir) {
        try {
            Files.createDirectories(stagingDir);
            if (jar != null) {
                require(jar, "lambdaJar", "build it with ./mvnw -pl lambda -am package -DskipTests");
                Path lib = Files.createDirectories(stagingDir.resolve("lib"));
                Files.copy(jar, lib.resolve("jobwatch-lambda.jar"), StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Fixed content so the asset hash, and so the template, is the same on every synth.
                Files.writeString(stagingDir.resolve("PLACEHOLDER.txt"),
                        "Placeholder: synthesized without lambda/target/jobwatch-lambda.jar. Do not deploy.\n",
                        StandardCharsets.UTF_8);
            }
            if (catalog != null) {
                require(catalog, "catalog", "pass the path of your jobwatch.yml");
                Files.copy(catalog, stagingDir.resolve("jobwatch.yml"), StandardCopyOption.REPLACE_EXISTING);
            }
            return new LambdaPackage(stagingDir, jar == null, catalog != null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the Lambda package in " + stagingDir + ": " + e.getMessage(), e);
        }
    }

    private static void require(Path file, String key, String fix) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("context " + key + ": expected an existing file, found '" + file
                    + "' (" + fix + ")");
        }
    }
}
