package io.jobwatch.local.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.export.ExportDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryExportDestinationTest {

    private static long filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void uncommittedObject_leavesNoFileAtAll(@TempDir Path dir) throws Exception {
        DirectoryExportDestination dest = new DirectoryExportDestination(dir);
        try (ExportDestination.PendingObject o = dest.open("runs/dt=2026-03-02/runs.csv.gz")) {
            o.stream().write(new byte[100]);
            assertThat(dir.resolve("runs/dt=2026-03-02/runs.csv.gz")).doesNotExist();
        }
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void commit_replacesThePreviousFile(@TempDir Path dir) throws Exception {
        DirectoryExportDestination dest = new DirectoryExportDestination(dir);
        for (String content : new String[] {"first, longer content", "second"}) {
            try (ExportDestination.PendingObject o = dest.open("manifests/x.json")) {
                o.stream().write(content.getBytes());
                o.commit();
            }
        }
        assertThat(dir.resolve("manifests/x.json")).hasContent("second");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void keysOutsideTheRoot_areRefused(@TempDir Path dir) {
        DirectoryExportDestination dest = new DirectoryExportDestination(dir);
        assertThatThrownBy(() -> dest.open("../escape.csv.gz")).hasMessageContaining("is not a relative path under");
        assertThatThrownBy(() -> dest.open("/etc/x")).hasMessageContaining("is not a relative path under");
    }
}
