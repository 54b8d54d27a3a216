package io.jobwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.store.StoreFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every reliability test writes what it injected and what came out: one JSON line per row in
 * {@code reliability/target/reliability-rows.jsonl}. With {@code -Djobwatch.reliability.report=true} every new row
 * also re-renders {@code RELIABILITY.md} at the repository root from the rows of this run (the last row per fault
 * wins), so the report always matches the suite's last run whatever order the test classes ran in.
 */
public final class ReliabilityLedger {
    static final String REPORT_FLAG = "jobwatch.reliability.report";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReliabilityLedger() {
    }

    /**
     * One row of the report.
     *
     * @param area       the group (store outage, duplicate storm, hostile input, ServiceNow, load, security)
     * @param fault      the fault or input class
     * @param injected   what exactly was done
     * @param in         how many events / actions went in
     * @param stored     how many came out stored / delivered exactly once
     * @param lost       in - stored - rejectedOnPurpose; must be 0
     * @param recoveryMs time from the fault's end to everything applied, or -1 when not applicable
     * @param note       extra figures (latency, errors returned), may be empty
     */
    public record Row(String area, String fault, String injected, long in, long stored, long lost, long recoveryMs,
                      String note) {
    }

    public static synchronized void record(Row row) {
        Path rows = rowsFile();
        try {
            Files.createDirectories(rows.getParent());
            ObjectNode n = MAPPER.valueToTree(row);
            Files.writeString(rows, MAPPER.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (Boolean.getBoolean(REPORT_FLAG)) {
                Files.writeString(StoreFixtures.repo().resolve("RELIABILITY.md"), render(read(rows)),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path rowsFile() {
        return StoreFixtures.repo().resolve("reliability/target/reliability-rows.jsonl");
    }

    static List<Row> read(Path rows) throws IOException {
        Map<String, Row> last = new LinkedHashMap<>();
        for (String line : Files.readAllLines(rows, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = MAPPER.readTree(line);
            Row r = MAPPER.treeToValue(n, Row.class);
            last.remove(r.area() + "|" + r.fault());
            last.put(r.area() + "|" + r.fault(), r);
        }
        List<Row> out = new ArrayList<>(last.values());
        out.sort((a, b) -> a.area().equals(b.area()) ? 0 : a.area().compareTo(b.area()));
        return out;
    }

    static String render(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n")
                .append("Generated from the `reliability` module's fault-injection, hostile-input, load and security suite ")
                .append("(issue 12). Regenerate with one command:\n\n")
                .append("```\n./mvnw -B -pl reliability -am verify -Djobwatch.reliability.report=true\n```\n\n")
                .append("(add `-Dtest='io.jobwatch.reliability.*Test' -Dsurefire.failIfNoSpecifiedTests=false` to skip the ")
                .append("upstream modules' own tests, `-Djobwatch.load.events=100000` for the full-size load row — CI runs ")
                .append("20,000 — and `-Djobwatch.fuzz.tries=N` for a longer fuzz run). Rows come from the runs since the ")
                .append("last `clean` of `reliability/target` (the last row per fault wins). Every row is written by a test ")
                .append("after its assertions passed, and every test fails when `lost` is not 0. *In* counts what was ")
                .append("offered — events (every duplicate delivery and every hostile element counted), or incident ")
                .append("actions, or requests for the security rows; *stored* counts what the store holds afterwards, each ")
                .append("event applied once; what is neither stored nor lost was refused on purpose with an error or ")
                .append("ignored with its reason (see notes). Machine: 2 cores shared with other builds.\n\n")
                .append("| area | fault / input class | injected | in | stored | lost | recovery | notes |\n")
                .append("|---|---|---|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(cell(r.area())).append(" | ").append(cell(r.fault())).append(" | ")
                    .append(cell(r.injected())).append(" | ").append(r.in()).append(" | ").append(r.stored())
                    .append(" | ").append(r.lost()).append(" | ")
                    .append(r.recoveryMs() < 0 ? "–" : r.recoveryMs() + " ms").append(" | ")
                    .append(cell(r.note())).append(" |\n");
        }
        md.append("\n## Findings\n\n")
                .append("- **Incidents followed arrival order, not run order — fixed.** A week of 120 jobs replayed ")
                .append("newest first left 61 jobs with an open incident although their latest run had succeeded (an old ")
                .append("failure arriving after a newer success opened a fresh incident), and a shuffled replay parked ")
                .append("actions whose Open had not been sent yet (a Reopen looked for an *active* incident). Each ")
                .append("finished run now converges the job's incident towards what its runs imply in run-time order ")
                .append("(`IncidentPolicy.converge`), and actions find the ticket they mean (the sys_id, the incident ")
                .append("store's recent tickets, else the correlation id — a resolved one for a Reopen): the \"ordering ")
                .append("and replays\" row.\n")
                .append("- **Concurrent writers duplicated ServiceNow tickets and notes — fixed.** With 8 processes ")
                .append("writing one table, every process drained the whole outbox without a claim and decisions saved ")
                .append("the incident record with a plain put: 626 tickets instead of 345, 20 jobs with two active ")
                .append("tickets, 1,053 notes posted twice. A decision is now one save conditional on the record's ")
                .append("version (saved together with its action, then copied to an outbox keyed by incident, run and ")
                .append("action), an action is claimed with a lease before it is sent, and the sys_id is written once: ")
                .append("the \"concurrent writers\" rows.\n")
                .append("- **SQLite: two processes opening a new file at once — fixed.** Both read schema version 0 and ")
                .append("ran the first migration; one failed with \"table runs already exists\". The schema is now ")
                .append("migrated under the write lock (`BEGIN IMMEDIATE`), the version read again inside it.\n")
                .append("- **A crawl's Started and end applied at once by two writers could become two runs — fixed.** ")
                .append("Both sides now store first and look for the other second, and the conditional delete of the ")
                .append("absorbed run lets exactly one merge (the run store contract's four-thread test shuffles crawler ")
                .append("events again).\n")
                .append("- **Job summary's latest run under out-of-order delivery — fixed.** The first run of this suite ")
                .append("found that a job summary's 32 slots were written last-writer-wins, so an older run ")
                .append("arriving late could evict a newer one. A slot now keeps the run with the later sort time ")
                .append("(`JobSummaryState.with` for SQLite; a condition on the slot's `t` in `DynamoRunStore`, with a ")
                .append("counters-only retry when a newer run holds the slot). The storm rows count the jobs still affected.\n")
                .append("- **DynamoDB: a job summary could miss a finished run after an outage — fixed.** A terminal ")
                .append("event is two UpdateItems (the run, then the job summary). When the store became unreachable ")
                .append("between the two, the caller's retry found the event already in the run (DUPLICATE) and returned ")
                .append("before the summary write. A duplicate terminal event now repeats the summary write; it only takes ")
                .append("effect when the slot is empty or holds an older run (not this one), so counters are added once ")
                .append("(store-dynamodb `DynamoSummaryRetryTest` cuts the connection right before the summary write). ")
                .append("Left: if a newer run of the same job has taken that slot by the time of the retry, the run is ")
                .append("not counted in the summary's run count (the runs themselves are intact).\n")
                .append("- **SQLite: a locked database failed the batch at once instead of waiting — fixed.** The store ")
                .append("set `busy_timeout=10000`, but a batch failed within ~100 ms with SQLITE_BUSY: the transaction began ")
                .append("DEFERRED, read, then needed the write lock, and SQLite does not run the busy handler for that ")
                .append("upgrade. The run store now begins IMMEDIATE (`SQLiteConfig.setTransactionMode(IMMEDIATE)`), so a ")
                .append("batch waits for another writer up to the busy timeout (10 s, configurable per store) and, beyond it, ")
                .append("fails loudly naming SQLITE_BUSY and the timeout with nothing written (the two store-outage rows).\n")
                .append("- **No plausibility window on the envelope time — fixed.** Events with `time` in year 9999 or 1970 ")
                .append("were stored. Every entry point (CLI files, HTTP, Lambda) now rejects an envelope time outside ")
                .append("[now − 3650 days, now + 1 day] on the injected clock: `time: expected a time between A and B (at ")
                .append("most 3650 days before and 1 day after now), found \"9999-12-31T23:59:59Z\"` (normalize/ingest: ")
                .append("`FILE:INDEX: line N: …`, exit 2). The day ahead absorbs clock skew; the past bound is wide on ")
                .append("purpose (EventBridge archive replays, reconcile backfills and dated samples bring old events; an ")
                .append("old run is harmless), rather than tied to the 7-day retention.\n")
                .append("- **One request could park 100,000 rows — fixed.** POST /events refuses a request of more than ")
                .append("10,000 events whole (413, nothing stored or parked, in ~0.2 s instead of ~7 s); within a request or ")
                .append("a CLI file at most 100 rejected events are parked one by one, the rest share one parked row (each ")
                .append("one's error is still in the response / on stderr). CLI files have no event count limit (backfills).\n")
                .append("- **A 300 KB event was accepted — fixed.** An event over 256 KB (EventBridge's limit) is rejected on ")
                .append("its own on every entry point: `(event): expected at most 262144 bytes (256 KB, EventBridge's event ")
                .append("size limit), found N bytes` — over HTTP the request's other events are still stored (207), a ")
                .append("request holding only that event gets 400; the Lambda parks it.\n")
                .append("- **The server lost a digest when SMTP was down — fixed.** `serve` logged the failure and moved ")
                .append("on; a digest that fails for a passing reason is now kept and retried at every tick (for 24 h) ")
                .append("until it goes out (the SMTP row). The retries live in memory: a restart drops them. ")
                .append("`jobwatch digest --send` exits 1 naming each team not delivered; its retry is the next run.\n")
                .append("- **A killed export left a hidden temp file — fixed.** The local-directory export writes each ")
                .append("file to `.NAME…tmp` and moves it into place; a SIGKILL left the temp file for ever. Opening a key ")
                .append("now removes a dead process's temp file of the same key, so a re-run leaves exactly the export's ")
                .append("files (the crash row).\n")
                .append("- **A crash mid-ingest lost incident actions — fixed.** `IngestPipeline` commits a batch to the ")
                .append("run store, then the incident tracker writes that batch's decisions to the outbox in another ")
                .append("transaction. A kill between the two lost those decisions: the re-run saw the events as DUPLICATE ")
                .append("and decided nothing (first measured: 340 of 747 actions missing). A redelivered terminal event of ")
                .append("a finished run is now judged again; judging a decided run is a no-op (the incident record names ")
                .append("the last run decided), so the re-run writes exactly the missing decisions (the crash row).\n")
                .append("- **Documented: `digest --send` re-sends after a crash.** It keeps no record of what it sent, so a ")
                .append("run killed mid-way and run again sends the digests that went out before the kill once more: at ")
                .append("most one duplicate per team per crash (the crash row). A per-team \"sent for this window\" record ")
                .append("in the store would remove it.\n")
                .append("- **ServiceNow slower than the timeout.** A create that times out but was applied is adopted on ")
                .append("retry by the correlation-id lookup (one incident, the slow row). A timed-out work note or update ")
                .append("has no such lookup: its retry can add the same work note twice (at-least-once for updates).\n");
        return md.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
