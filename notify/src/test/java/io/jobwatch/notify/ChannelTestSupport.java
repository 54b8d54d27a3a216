package io.jobwatch.notify;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.IncidentNotice;
import io.jobwatch.core.channel.Variables;
import io.jobwatch.core.incident.CorrelationIds;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentRef;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Notices, settings and a log capture for the HTTP channel tests. */
final class ChannelTestSupport {
    static final Instant T0 = Instant.parse("2026-03-02T03:12:40Z");
    static final Clock CLOCK = Clock.fixed(T0.plusSeconds(20), ZoneOffset.UTC);
    static final JobKey ORDERS = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-load");
    static final Catalog CATALOG = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", """
            version: 1
            accounts:
              "123456789012": ERP
            teams:
              erp-ops: {}
            defaults: {team: erp-ops, criticality: critical}
            """)).catalog();
    static final String ERROR = "An error occurred while calling o110.pyWriteDynamicFrame. Duplicate entry '4711' for"
            + " key 'PRIMARY' <script>alert(1)</script> & *bold* _it_";

    private ChannelTestSupport() {
    }

    static IncidentRef ref() {
        return new IncidentRef(ORDERS, ProblemKind.FAILURE, CorrelationIds.of(ORDERS, ProblemKind.FAILURE), T0, null);
    }

    static IncidentNotice open(String number) {
        IncidentAction.Open open = new IncidentAction.Open(ref(), "jr_4f1c", T0, "[ERP] Glue job erp-orders-load FAILED",
                "description", 1, 1, null, "Jobwatch",
                "https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/editor/job/erp-orders-load/runs",
                "Opened automatically by Jobwatch from run jr_4f1c.", new IncidentAction.Cause("FAILED", ERROR));
        return IncidentNotice.of(open, CATALOG.resolve(ORDERS), number);
    }

    static IncidentNotice update(String number) {
        return IncidentNotice.of(new IncidentAction.Update(ref(), "jr_5a2d", T0.plusSeconds(3600),
                "Failed again: run jr_5a2d (2 consecutive failures).", new IncidentAction.Cause("TIMED_OUT",
                "Timeout")), CATALOG.resolve(ORDERS), number);
    }

    static IncidentNotice resolve(String number) {
        return IncidentNotice.of(new IncidentAction.Resolve(ref(), "jr_6b3e", T0.plusSeconds(7200),
                "Auto-resolved: erp-orders-load run jr_6b3e SUCCEEDED.", "Resolved by Jobwatch after 1 successful run.",
                new IncidentAction.Cause("SUCCEEDED", null)), CATALOG.resolve(ORDERS), number);
    }

    /** A context whose variables are {@code vars}. */
    static ChannelContext context(Map<String, String> vars) {
        return new ChannelContext(Map.of(), CLOCK, null, Variables.of(vars), null);
    }

    static ChannelSettings settings(String type, Map<String, String> spec, Map<String, String> vars) {
        return ChannelSettings.resolve(new ChannelSpec(type, spec, "jobwatch.yml:12:11"), Variables.of(vars));
    }

    /** Captures what the channels log (java.util.logging under System.Logger). */
    static final class LogCapture implements AutoCloseable {
        final List<String> lines = new ArrayList<>();
        private final Logger logger = Logger.getLogger(HttpChannel.class.getName());
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                Object[] p = r.getParameters();
                lines.add(p == null ? m : java.text.MessageFormat.format(m, p));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        LogCapture() {
            logger.addHandler(handler);
        }

        String all() {
            return String.join("\n", lines);
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
        }
    }
}
