package io.jobwatch.core.export;

import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;

/** Test rows and helpers. */
final class Rows {
    private Rows() {
    }

    static ExportRow row(String runId, RunState state, String error) {
        Instant start = Instant.parse("2026-11-16T03:00:00Z");
        Instant end = state.terminal() ? start.plusSeconds(125) : null;
        return new ExportRow(runId, JobSource.GLUE_JOB, "123456789012", "ERP", "eu-west-1", "erp-orders-load",
                "data-platform", "high", state, state.name(), start, end, ExportRow.durationSeconds(start, end),
                error, null, 2, start.minusSeconds(1), end == null ? start : end);
    }

    static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
