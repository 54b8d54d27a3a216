package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyTest {

    @Test
    void generatedKey_isStoredOwnerOnly_andReusedOnNextStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobwatch.api-key");
        ApiKey first = ApiKey.load(Map.of(), file);
        assertThat(first.generated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ApiKey second = ApiKey.load(Map.of(), file);
        assertThat(second.generated()).isFalse();
        assertThat(second.accepts(first.reveal(), null)).isTrue();
    }

    @Test
    void environmentKey_winsOverTheFile(@TempDir Path dir) throws Exception {
        ApiKey k = ApiKey.load(Map.of(ApiKey.ENV, "s3cr3t"), dir.resolve("f"));
        assertThat(k.generated()).isFalse();
        assertThat(Files.exists(dir.resolve("f"))).isFalse();
        assertThat(k.accepts("s3cr3t", null)).isTrue();
        assertThat(k.accepts(null, "Bearer s3cr3t")).isTrue();
        assertThat(k.accepts(null, "bearer s3cr3t")).isTrue();
        assertThat(k.accepts("s3cr3T", null)).isFalse();
        assertThat(k.accepts(null, "Basic s3cr3t")).isFalse();
        assertThat(k.accepts(null, null)).isFalse();
        assertThat(k.toString()).doesNotContain("s3cr3t");
    }
}
