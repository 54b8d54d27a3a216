package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.cli.Jobwatch;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.store.Run;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same hostile inputs as files for {@code jobwatch ingest}, next to a file of good events. */
class HostileCliInputTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void ingest_namesEveryBadFileAndEvent_storesEveryGoodEvent_andExitsWith2() throws Exception {
        List<ObjectNode> good = HostileHttpInputTest.goodEvents(100);
        StringBuilder lines = new StringBuilder();
        for (ObjectNode e : good) {
            lines.append(MAPPER.writeValueAsString(e)).append('\n');
        }
        Path goodFile = Files.writeString(dir.resolve("good.jsonl"), lines);
        Map<String, byte[]> hostile = HostileHttpInputTest.hostile(good.get(0));
        List<String> args = new ArrayList<>(List.of("ingest", "--db", dir.resolve("j.db").toString(), goodFile.toString()));
        List<Path> files = new ArrayList<>();
        int n = 0;
        for (byte[] body : hostile.values()) {
            Path f = dir.resolve("hostile-" + (n++) + ".json");
            Files.write(f, body);
            files.add(f);
            args.add(f.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));

        assertThat(code).isEqualTo(2);
        List<String> names = new ArrayList<>(hostile.keySet());
        for (int i = 0; i < files.size(); i++) {
            Object[] want = HostileHttpInputTest.EXPECTED.get(names.get(i));
            if (want[1] != null && (int) want[0] == 400) {
                assertThat(err.toString()).as(names.get(i)).contains(files.get(i) + ":0:").contains((String) want[1]);
            }
        }
        assertThat(err.toString()).doesNotContain(goodFile + ":");
        // Only the 100 good events are in the store: the 300 KB event and the times in 9999 and 1970 are rejected.
        long expected = good.size();
        EventNormalizer normalizer = new EventNormalizer();
        long stored;
        int parked;
        try (SqliteRunStore store = new SqliteRunStore(dir.resolve("j.db"), Clock.systemUTC(), Duration.ofDays(7))) {
            stored = good.stream().map(e -> ((Normalization.Normalized) normalizer.normalize(e)).event().job())
                    .distinct().flatMap(job -> store.runsOfJob(job, 10_000).stream()).mapToLong(Run::eventCount).sum();
            parked = store.parked(200_000).size();
        }
        // 8 bad files parked one row each; the 100,000-element file 100 rows one by one and one row for the rest.
        assertThat(parked).isEqualTo(8 + 100 + 1);
        long lost = expected - stored;
        assertThat(lost).isZero();
        String summary = out.toString().trim();
        // + 1 ignored (aws.ec2); the stale one is the simulator's reordered delivery (a Batch SUBMITTED after RUNNABLE);
        // two of the simulator's retried attempts fold into their run (advanced, not created).
        assertThat(summary).isEqualTo("created 48, advanced 51, duplicate 0, stale 1, rejected 100008");
        ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "CLI jobwatch ingest: 10 hostile files",
                "one file of 100 good events (JSON lines) and one file per hostile class (as for HTTP)",
                good.size() + hostile.size() - 1 + 100_000, stored, lost, -1,
                "exit 2; each bad event named with FILE:INDEX and the specific reason on stderr (300 KB: EventBridge's "
                        + "256 KB limit; 9999/1970: the accepted time window); " + parked + " rows parked (at most 100 "
                        + "one by one per file, the 100,000-element file's rest in one row); summary: " + summary));
    }
}
