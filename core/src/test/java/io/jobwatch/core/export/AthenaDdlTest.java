package io.jobwatch.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AthenaDdlTest {

    @Test
    void createTable_isTheExactStatement() {
        assertThat(AthenaDdl.createTable("jobwatch", "runs", "acme-bi", "jobwatch/export")).isEqualTo("""
                CREATE EXTERNAL TABLE IF NOT EXISTS `jobwatch`.`runs` (
                  `run_id` string,
                  `source` string,
                  `account` string,
                  `system` string,
                  `region` string,
                  `job_name` string,
                  `team` string,
                  `criticality` string,
                  `state` string,
                  `source_state` string,
                  `started_at` string,
                  `ended_at` string,
                  `duration_s` string,
                  `error` string,
                  `incident_number` string,
                  `event_count` string,
                  `first_seen` string,
                  `last_updated` string,
                  `attempt` string,
                  `warning` string,
                  `raw_job_name` string
                )
                PARTITIONED BY (`dt` string)
                ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
                WITH SERDEPROPERTIES (
                  'separatorChar' = ',',
                  'quoteChar' = '"',
                  'escapeChar' = '\\001'
                )
                STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
                OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
                LOCATION 's3://acme-bi/jobwatch/export/runs/'
                TBLPROPERTIES (
                  'skip.header.line.count' = '1',
                  'projection.enabled' = 'true',
                  'projection.dt.type' = 'date',
                  'projection.dt.range' = '2025-01-01,NOW',
                  'projection.dt.format' = 'yyyy-MM-dd',
                  'projection.dt.interval' = '1',
                  'projection.dt.interval.unit' = 'DAYS',
                  'storage.location.template' = 's3://acme-bi/jobwatch/export/runs/dt=${dt}/'
                );
                """);
    }

    @Test
    void location_normalizesThePrefix() {
        assertThat(AthenaDdl.location("acme-bi", "")).isEqualTo("s3://acme-bi/runs/");
        assertThat(AthenaDdl.location("acme-bi", null)).isEqualTo("s3://acme-bi/runs/");
        assertThat(AthenaDdl.location("acme-bi", "/a/b/")).isEqualTo("s3://acme-bi/a/b/runs/");
    }

    @Test
    void serdeParameters_useTheEscapeCharacterTheWriterNeverEmits() {
        assertThat(AthenaDdl.serdeParameters()).containsEntry("escapeChar", "\u0001")
                .containsEntry("quoteChar", "\"").containsEntry("separatorChar", ",");
    }

    @Test
    void createTable_refusesNamesThatWouldNeedQuoting() {
        assertThatThrownBy(() -> AthenaDdl.createTable("jobwatch", "runs", "Acme_Bucket", ""))
                .hasMessageContaining("not an S3 bucket name: 'Acme_Bucket'");
        assertThatThrownBy(() -> AthenaDdl.createTable("job-watch", "runs", "acme", ""))
                .hasMessageContaining("not an Athena database name");
        assertThatThrownBy(() -> AthenaDdl.createTable("jobwatch", "runs", "acme", "it's"))
                .hasMessageContaining("unsupported S3 prefix: 'it's'");
    }

    @Test
    void createTypedView_castsOverTheStringTable() {
        String sql = AthenaDdl.createTypedView("jobwatch", "runs");
        assertThat(sql).startsWith("CREATE OR REPLACE VIEW \"jobwatch\".\"runs_typed\" AS")
                .contains("CAST(NULLIF(duration_s, '') AS bigint) AS duration_s")
                .contains("from_iso8601_timestamp(NULLIF(started_at, '')) AS started_at")
                .endsWith("FROM \"jobwatch\".\"runs\";\n");
    }
}
