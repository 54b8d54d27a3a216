package io.jobwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchArgumentsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void scale_mustBeAWholeNumber_saysWhatWasGiven() throws Exception {
        assertThat(run("--scale", "ten", "seed")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--scale must be a whole number", "'ten'");
    }

    @Test
    void unknownBenchmark_isRejected_withTheKnownNames() throws Exception {
        assertThat(run("ingest-oracle")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown benchmark: ingest-oracle", "seed", "normalize");
    }

    @Test
    void pricesFile_isDated_andNamesItsRegionAndSource() throws Exception {
        CostModel.Prices p = CostModel.Prices.load();
        assertThat(p.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(p.region()).isEqualTo("us-east-1");
        assertThat(p.source()).contains("Check the pages before quoting");
        assertThat(p.get("dynamodb.writeRequestUnitsPerMillion")).isEqualTo(0.625);
    }
}
