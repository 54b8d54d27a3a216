package io.jobwatch.core.export;

import java.time.LocalDate;
import java.util.function.Consumer;

/**
 * Where the export reads runs from: one UTC day bucket at a time. The only seam between the export and the run store.
 *
 * <p>Contract for implementations (the store-backed one reads its day bucket by key/index query, never a Scan):
 * <ul>
 *   <li>{@link #rowsOfDay} hands every run of that UTC day bucket to {@code sink} exactly once, streaming (page by
 *   page), without collecting the day in memory; the order should be stable so a re-export writes the same bytes.
 *   <li>A run belongs to one day: the day the source buckets it in (the run store: its start, else its end), so every
 *   run lands in exactly one day.
 *   <li>It is called from several threads at once, one call per day; a call must not depend on another.
 *   <li>A failure throws (unchecked); the exporter then discards that day's object and fails the export.
 * </ul>
 */
@FunctionalInterface
public interface ExportSource {
    void rowsOfDay(LocalDate day, Consumer<ExportRow> sink);
}
