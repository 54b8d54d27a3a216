package io.jobwatch.core.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jobwatch.core.run.RunState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What one export wrote, for checks and for the BI side: written last, as {@code manifests/<name>.json}, only when
 * every day succeeded — a manifest means a complete export.
 *
 * @param name               the export's name ({@code 2026-W47}, see {@link ExportPlan#name()})
 * @param format             {@value #FORMAT}
 * @param columns            the CSV columns in order
 * @param from               first day (inclusive)
 * @param to                 last day (inclusive)
 * @param generatedAt        when the export finished (from the injected clock)
 * @param rows               data rows over all objects
 * @param states             rows per run state (every state listed, 0 included)
 * @param startedAtMin       earliest started_at, or null when no row has one
 * @param startedAtMax       latest started_at, or null
 * @param durationSecondsSum sum of duration_s over the rows that have one
 * @param objects            one entry per day, in day order
 */
public record Manifest(String name, String format, List<String> columns, LocalDate from, LocalDate to,
                       Instant generatedAt, long rows, Map<RunState, Long> states, Instant startedAtMin,
                       Instant startedAtMax, long durationSecondsSum, List<ObjectEntry> objects) {

    public static final String FORMAT = "csv.gz";

    public Manifest {
        columns = List.copyOf(columns);
        states = Map.copyOf(states);
        objects = List.copyOf(objects);
    }

    /**
     * One object of the export.
     *
     * @param key    key relative to the destination root ({@code runs/dt=2026-11-16/runs.csv.gz})
     * @param day    the UTC day it holds
     * @param rows   data rows
     * @param bytes  compressed size
     * @param sha256 SHA-256 of the compressed bytes, lower-case hex
     */
    public record ObjectEntry(String key, LocalDate day, long rows, long bytes, String sha256) {
    }

    /** The manifest as pretty JSON (UTF-8), fields in the order above. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeStringField("format", format);
            g.writeArrayFieldStart("columns");
            for (String c : columns) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("from", from.toString());
            g.writeStringField("to", to.toString());
            g.writeStringField("generatedAt", generatedAt.toString());
            g.writeNumberField("rows", rows);
            g.writeObjectFieldStart("states");
            for (RunState s : RunState.values()) {
                g.writeNumberField(s.name(), states.getOrDefault(s, 0L));
            }
            g.writeEndObject();
            g.writeStringField("startedAtMin", startedAtMin == null ? null : startedAtMin.toString());
            g.writeStringField("startedAtMax", startedAtMax == null ? null : startedAtMax.toString());
            g.writeNumberField("durationSecondsSum", durationSecondsSum);
            g.writeArrayFieldStart("objects");
            for (ObjectEntry o : objects) {
                g.writeStartObject();
                g.writeStringField("key", o.key());
                g.writeStringField("day", o.day().toString());
                g.writeNumberField("rows", o.rows());
                g.writeNumberField("bytes", o.bytes());
                g.writeStringField("sha256", o.sha256());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
