package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationIdsTest {
    private static final JobKey ORDERS = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "nightly-orders-etl");

    @Test
    void failure_usesTheReadableJobKey_asInTheServiceNowExamples() {
        assertThat(CorrelationIds.of(ORDERS, ProblemKind.FAILURE)).isEqualTo("glue-job:111122223333:us-west-2:nightly-orders-etl");
    }

    @Test
    void otherKinds_appendTheKind() {
        assertThat(CorrelationIds.of(ORDERS, ProblemKind.MISSING)).isEqualTo("glue-job:111122223333:us-west-2:nightly-orders-etl:MISSING");
        assertThat(CorrelationIds.of(ORDERS, ProblemKind.LONG_RUNNING)).endsWith(":LONG_RUNNING");
    }

    @Test
    void tooLongKey_isHashed_stablyAndWithin100Characters() {
        JobKey longJob = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "n".repeat(100));
        String id = CorrelationIds.of(longJob, ProblemKind.FAILURE);
        assertThat(id).matches("jobwatch:[0-9a-f]{40}").hasSizeLessThanOrEqualTo(CorrelationIds.MAX_LENGTH);
        assertThat(CorrelationIds.of(longJob, ProblemKind.FAILURE)).isEqualTo(id);
        assertThat(CorrelationIds.of(longJob, ProblemKind.LATE)).isNotEqualTo(id);
    }

    @Test
    void keyWithEncodedQueryCharacters_isHashed_soALookupCannotBeSubverted() {
        JobKey tricky = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "etl^active=false^ORnumber=INC1");
        assertThat(CorrelationIds.of(tricky, ProblemKind.FAILURE)).matches("jobwatch:[0-9a-f]{40}");
        JobKey spaced = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "daily load");
        assertThat(CorrelationIds.of(spaced, ProblemKind.FAILURE)).startsWith("jobwatch:");
    }

    @Test
    void keyOfExactly100Characters_staysReadable() {
        String prefix = "glue-job:111122223333:us-west-2:";
        JobKey job = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "j".repeat(100 - prefix.length()));
        assertThat(CorrelationIds.of(job, ProblemKind.FAILURE)).hasSize(100).startsWith(prefix);
    }
}
