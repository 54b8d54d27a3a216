package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.SlaBreach;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the server's scheduler calls for the features built elsewhere: SLA checks, digest building, the weekly export.
 * {@link #none()} leaves each off; the CLI plugs the real ones in as they land (see notes/serve-MERGE.md).
 *
 * @param sla     SLA checks, run every minute, or null when off
 * @param digests digest building for the teams whose schedule fired, or null when off
 * @param export  the export and its schedule, or null when off
 */
public record LocalHooks(SlaChecks sla, DigestHook digests, ExportHook export) {

    public static LocalHooks none() {
        return new LocalHooks(null, null, null);
    }

    public LocalHooks withSla(SlaChecks s) {
        return new LocalHooks(s, digests, export);
    }

    public LocalHooks withDigests(DigestHook d) {
        return new LocalHooks(sla, d, export);
    }

    public LocalHooks withExport(ExportHook e) {
        return new LocalHooks(sla, digests, e);
    }

    /** The SLA engine as the server sees it. */
    @FunctionalInterface
    public interface SlaChecks {
        /**
         * Checks every expectation at {@code now} (called once a minute) and returns the breaches that are open now;
         * {@code /api/breaches}, the SLA page and {@code /metrics} show the latest answer.
         *
         * @param catalog the catalog in force, or null when the server runs without one
         */
        List<SlaBreach> check(Instant now, Catalog catalog) throws Exception;
    }

    /** A team's digest, due now. */
    public record DueDigest(Team team, Digest digest) {
    }

    /**
     * Builds digests; the server sends each to its team's channels (the channel registry's one rule: the team's
     * {@code channels:}, else SMTP/SES/SNS from the environment, else HTML files next to the database).
     */
    @FunctionalInterface
    public interface DigestHook {
        /**
         * The digests of {@code teams}, whose digest schedule fired at {@code firedAt}. A team left out gets nothing
         * (e.g. it has no jobs with runs).
         */
        List<DueDigest> digests(Catalog catalog, List<Team> teams, Instant firedAt) throws Exception;
    }

    /** The periodic export of runs. */
    public interface ExportHook {
        /** When the export runs next after {@code after}; empty: never again. */
        Optional<Instant> nextAfter(Instant after);

        /** Runs the export that was due at {@code firedAt}; returns one line for the log (what was written where). */
        String run(Instant firedAt) throws Exception;
    }
}
