package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDeliveryLogTest {
    @TempDir
    Path dir;

    @Test
    void record_thenPreviousFailed_perTeam_survivesReopening() {
        Path db = dir.resolve("jobwatch.db");
        Instant end = Instant.parse("2026-03-02T15:00:00Z");
        try (SqliteDeliveryLog log = new SqliteDeliveryLog(db)) {
            assertThat(log.previousFailed("erp-ops")).isFalse();
            log.record("erp-ops", end, true);
            log.record("finance-close", end, false);
        }
        try (SqliteDeliveryLog log = new SqliteDeliveryLog(db)) {
            assertThat(log.previousFailed("erp-ops")).isTrue();
            assertThat(log.previousFailed("finance-close")).isFalse();
            log.record("erp-ops", end.plusSeconds(3600), false);
            assertThat(log.previousFailed("erp-ops")).isFalse();
            assertThat(log.lastWindowEnds()).isEqualTo(java.util.Map.of("erp-ops", end.plusSeconds(3600),
                    "finance-close", end));
        }
    }
}
