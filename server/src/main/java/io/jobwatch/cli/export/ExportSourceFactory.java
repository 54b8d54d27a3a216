package io.jobwatch.cli.export;

import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportSource;

/** How {@code jobwatch export} gets its runs for a plan: today the interim simulation, after the merge the run store. */
@FunctionalInterface
public interface ExportSourceFactory {
    ExportSource open(ExportPlan plan);
}
