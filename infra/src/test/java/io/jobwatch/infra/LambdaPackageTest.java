package io.jobwatch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaPackageTest {

    @TempDir
    Path dir;

    @Test
    void stage_putsTheJarUnderLibAndTheCatalogAtTheRoot() throws Exception {
        Path jar = Files.write(dir.resolve("jobwatch-lambda.jar"), new byte[] {'P', 'K'});
        Path catalog = Files.writeString(dir.resolve("my-catalog.yml"), "accounts: {}\n");
        LambdaPackage p = LambdaPackage.stage(jar, catalog, dir.resolve("pkg"));
        assertThat(p.placeholder()).isFalse();
        assertThat(p.hasCatalog()).isTrue();
        for (String task : CentralStack.TASKS) {
            assertThat(p.dirFor(task)).isEqualTo(dir.resolve("pkg").resolve(task));
            assertThat(p.dirFor(task).resolve("lib/jobwatch-lambda.jar")).hasBinaryContent(new byte[] {'P', 'K'});
            assertThat(p.dirFor(task).resolve("jobwatch.yml")).hasContent("accounts: {}");
        }
    }

    @Test
    void stage_givesEachFunctionItsOwnJar_whenTheLambdaModuleBuiltOne_elseTheGivenJar() throws Exception {
        Path target = Files.createDirectories(dir.resolve("target"));
        Path ingest = Files.write(target.resolve("jobwatch-lambda-ingest.jar"), new byte[] {'I'});
        Files.write(target.resolve("jobwatch-lambda-reconcile.jar"), new byte[] {'R'});
        Path catalog = Files.writeString(dir.resolve("my-catalog.yml"), "accounts: {}\n");

        LambdaPackage p = LambdaPackage.stage(ingest, catalog, dir.resolve("pkg"), java.util.List.of("ingest",
                "reconcile", "digest"));

        assertThat(p.dirFor("ingest").resolve("lib/jobwatch-lambda.jar")).hasBinaryContent(new byte[] {'I'});
        assertThat(p.dirFor("reconcile").resolve("lib/jobwatch-lambda.jar")).hasBinaryContent(new byte[] {'R'});
        assertThat(p.dirFor("digest").resolve("lib/jobwatch-lambda.jar")).hasBinaryContent(new byte[] {'I'});
        assertThat(p.dirFor("reconcile")).isNotEqualTo(p.dirFor("ingest"));
        assertThat(p.dirFor("reconcile").resolve("jobwatch.yml")).hasContent("accounts: {}");
    }

    @Test
    void stage_withoutAJar_writesAFixedPlaceholder() {
        LambdaPackage a = LambdaPackage.stage(null, null, dir.resolve("a"));
        LambdaPackage b = LambdaPackage.stage(null, null, dir.resolve("b"));
        assertThat(a.placeholder()).isTrue();
        assertThat(a.hasCatalog()).isFalse();
        assertThat(dir.resolve("a/PLACEHOLDER.txt")).hasSameTextualContentAs(dir.resolve("b/PLACEHOLDER.txt"));
        assertThat(b.dir().resolve("lib")).doesNotExist();
        assertThat(b.dirFor("export")).isEqualTo(b.dir());
    }

    @Test
    void stage_rejectsAMissingJar_withTheBuildCommand() {
        assertThatThrownBy(() -> LambdaPackage.stage(dir.resolve("nope.jar"), null, dir.resolve("pkg")))
                .hasMessageContaining("context lambdaJar: expected an existing file")
                .hasMessageContaining("./mvnw -pl lambda -am package -DskipTests");
    }
}
