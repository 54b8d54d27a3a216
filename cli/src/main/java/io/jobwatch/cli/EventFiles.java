package io.jobwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.ingest.EventInput;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads event files for the CLI (one event, a JSON array, or JSON lines; "-" is standard input), normalizes them, and
 * reports every problem as {@code FILE:INDEX: …} on stderr. Shared by normalize, ingest and the demo.
 */
final class EventFiles {

    /** What happened to one input event that was not understood. */
    interface Sink {
        void event(String file, int index, RunEvent event) throws IOException;

        /** A rejected event (malformed) with its raw JSON when there was any; the default just counts it. */
        default void rejected(String file, int index, String rawJson, String reason) throws IOException {
        }

        /** After the last event of a file. */
        default void fileDone(String file) throws IOException {
        }
    }

    /** Totals of a read: rejected includes unreadable files; unsupported counts events skipped as not followed. */
    record Totals(int events, int rejected, int unsupported) {
    }

    private final ObjectMapper mapper;
    private final EventNormalizer normalizer;
    private final EventInput input;
    private final InputStream stdin;

    /**
     * @param clock now, for the plausibility window on event times ({@link io.jobwatch.core.normalize.EventTimeWindow});
     *              files have no event count limit (backfills are big), but each event at most 256 KB
     */
    EventFiles(ObjectMapper mapper, InputStream stdin, java.time.Clock clock) {
        this(mapper, stdin, clock, io.jobwatch.core.source.IdentityOverride.NONE);
    }

    /** @param identity the catalog's identity rules (a job's stable name, where a rule overrides its source's) */
    EventFiles(ObjectMapper mapper, InputStream stdin, java.time.Clock clock,
               io.jobwatch.core.source.IdentityOverride identity) {
        this.mapper = mapper;
        this.input = new EventInput(mapper);
        this.normalizer = new EventNormalizer(clock).withIdentity(identity);
        this.stdin = stdin;
    }

    Totals read(List<String> files, boolean strict, PrintWriter out, PrintWriter err, Sink sink) throws IOException {
        int events = 0;
        int rejected = 0;
        int unsupported = 0;
        for (String file : files) {
            String label = "-".equals(file) ? "<stdin>" : file;
            byte[] data;
            try {
                data = "-".equals(file) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                report(out, err, label + ": cannot read: no such file");
                rejected++;
                continue;
            } catch (IOException e) {
                report(out, err, label + ": cannot read: " + e.getMessage());
                rejected++;
                continue;
            }
            for (EventInput.Item item : input.readAll(data)) {
                String where = label + ":" + item.index() + ": " + (item.line() > 0 ? "line " + item.line() + ": " : "");
                if (!item.ok()) {
                    report(out, err, where + item.error());
                    sink.rejected(label, item.index(), null, item.error());
                    rejected++;
                    continue;
                }
                Normalization n = normalizer.normalize(item.event());
                if (n instanceof Normalization.Normalized ok) {
                    sink.event(label, item.index(), ok.event());
                    events++;
                } else if (n instanceof Normalization.Unsupported u) {
                    report(out, err, label + ":" + item.index() + ": " + u.message());
                    unsupported++;
                    if (strict) {
                        sink.rejected(label, item.index(), mapper.writeValueAsString(item.event()), u.message());
                        rejected++;
                    }
                } else if (n instanceof Normalization.Rejected r) {
                    report(out, err, where + r.message());
                    sink.rejected(label, item.index(), mapper.writeValueAsString(item.event()), r.message());
                    rejected++;
                }
            }
            sink.fileDone(label);
        }
        return new Totals(events, rejected, unsupported);
    }

    /** Flushes stdout first so that notes and output interleave in input order on a terminal. */
    private static void report(PrintWriter out, PrintWriter err, String message) {
        out.flush();
        err.println(message);
        err.flush();
    }
}
