package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.local.EventsIngest;
import io.jobwatch.local.Metrics;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Byte-level fuzzing of the shared HTTP/CLI ingest entry ({@link EventsIngest#ingest(byte[], String)}): real sample
 * events with random bytes flipped, ranges deleted or duplicated, garbage inserted, or cut short. Whatever arrives,
 * ingest never throws, answers every event it found with an outcome or a specific error, and whatever it says it
 * stored is in the store. Fixed seed and 200 bodies in CI; each body is mutated further
 * {@code -Djobwatch.fuzz.tries=N / 200} times for a longer run.
 */
class EventsIngestFuzzTest {
    static final int TRIES = 200;
    static final int ROUNDS = Math.max(1, Integer.getInteger("jobwatch.fuzz.tries", TRIES) / TRIES);
    static final List<byte[]> SAMPLES = samples();
    static final RunStore STORE = store();
    static final EventsIngest INGEST = new EventsIngest(STORE, new IngestPipeline(STORE, null, null), new Metrics(),
            new ObjectMapper(), java.time.Clock.fixed(java.time.Instant.parse("2026-03-10T00:00:00Z"), java.time.ZoneOffset.UTC));
    static final AtomicLong BODIES = new AtomicLong();
    static final AtomicLong EVENTS = new AtomicLong();
    static final AtomicLong STORED = new AtomicLong();
    static final AtomicLong REFUSED = new AtomicLong();
    static final AtomicLong LOST = new AtomicLong();
    static final AtomicLong FAILED_TRIES = new AtomicLong();

    @Property(tries = TRIES, seed = "20261125")
    void ingest_neverThrows_answersEveryEvent_andStoresWhatItAccepts(@ForAll("mutated") long seed) {
        try {
            check(new Random(seed));
        } catch (AssertionError | RuntimeException e) {
            FAILED_TRIES.incrementAndGet(); // no report row for a failing run
            throw e;
        }
    }

    private static void check(Random random) {
        for (int round = 0; round < ROUNDS; round++) {
            byte[] body = mutate(SAMPLES.get(random.nextInt(SAMPLES.size())), 1 + random.nextInt(4), random);
            BODIES.incrementAndGet();
            EventsIngest.Batch batch = INGEST.ingest(body, "fuzz");
            if (new String(body, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "").isBlank()) {
                // Cut to nothing: no event found (the HTTP handler answers 400 "empty body").
                assertThat(batch.results()).isEmpty();
                continue;
            }
            assertThat(batch.results()).isNotEmpty();
            for (EventsIngest.Outcome o : batch.results()) {
                EVENTS.incrementAndGet();
                if (o.rejected() || "IGNORED".equals(o.outcome())) {
                    assertThat(o.error()).as("a refused event says why").isNotBlank();
                    REFUSED.incrementAndGet();
                } else if (STORE.get(new RunKey(JobKey.parse(o.jobId()), o.runId())).isPresent()) {
                    STORED.incrementAndGet();
                } else {
                    LOST.incrementAndGet();
                }
            }
        }
        assertThat(LOST.get()).isZero();
    }

    @Provide
    Arbitrary<Long> mutated() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers()).as((a, b) -> a * 31 + b);
    }

    @AfterContainer
    static void report() {
        if (BODIES.get() > 0 && LOST.get() == 0 && FAILED_TRIES.get() == 0) {
            ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "fuzz: byte mutations of real events",
                    BODIES.get() + " bodies (jqwik, seed 20261125): the repo's sample events with 1–4 random edits "
                            + "(flip, delete, duplicate, insert garbage, truncate) → EventsIngest.ingest(byte[])",
                    EVENTS.get(), STORED.get(), LOST.get(), -1,
                    REFUSED.get() + " refused or ignored with a specific reason; no exception escaped"));
        }
        STORE.close();
    }

    static byte[] mutate(byte[] original, int edits, Random random) {
        byte[] b = original.clone();
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = splice(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), new byte[0]);
                case 2 -> b = splice(b, at, at, java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 1
                        + random.nextInt(32))));
                case 3 -> {
                    byte[] junk = new byte[1 + random.nextInt(8)];
                    random.nextBytes(junk);
                    b = splice(b, at, at, junk);
                }
                default -> b = java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    private static List<byte[]> samples() {
        try (Stream<Path> files = Files.walk(StoreFixtures.repo().resolve("examples/events"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunStore store() {
        try {
            Path dir = Files.createTempDirectory("jobwatch-fuzz-");
            dir.toFile().deleteOnExit();
            return new SqliteRunStore(dir.resolve("fuzz.db"), Clock.systemUTC(), Duration.ofDays(36_500));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
