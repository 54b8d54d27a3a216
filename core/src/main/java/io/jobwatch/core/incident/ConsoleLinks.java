package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links to the AWS console page of a run (or, where the console has no page per run, of the job), so the person on
 * call gets from the ticket to the logs in one click. The page opens in the run's region; the viewer still has to be
 * signed in to the run's account.
 */
public final class ConsoleLinks {
    private static final Pattern DATASYNC_EXECUTION =
            Pattern.compile("arn:[^:]+:datasync:[^:]*:[^:]*:task/(task-[0-9a-zA-Z]+)/execution/(exec-[0-9a-zA-Z]+)");

    private ConsoleLinks() {
    }

    /** The console page for {@code runId} of {@code job}; with a null run id, the job's page. */
    public static String forRun(JobKey job, String runId) {
        String r = job.region();
        String base = "https://" + r + "." + consoleDomain(r) + "/";
        String name = enc(job.jobName());
        return switch (job.source()) {
            case GLUE_JOB -> base + "gluestudio/home?region=" + r + "#/job/" + name
                    + (runId == null ? "" : "/run/" + enc(runId));
            // Crawls have no page of their own; the crawler page lists its recent crawls.
            case GLUE_CRAWLER -> base + "glue/home?region=" + r + "#/v2/data-catalog/crawlers/view/" + name;
            case STEP_FUNCTIONS -> runId == null
                    ? base + "states/home?region=" + r + "#/statemachines"
                    : base + "states/home?region=" + r + "#/v2/executions/details/" + runId;
            case APPFLOW -> base + "appflow/home?region=" + r + "#/details/" + name;
            case DATASYNC -> base + "datasync/home?region=" + r + "#/tasks/" + dataSyncTask(job.jobName(), runId);
            case BATCH -> runId == null
                    ? base + "batch/home?region=" + r + "#jobs"
                    : base + "batch/home?region=" + r + "#jobs/detail/" + enc(runId);
            case EMR_SERVERLESS -> {
                // The job name is applicationId or applicationId/jobRunName (see the normalizer).
                String app = job.jobName().split("/", 2)[0];
                yield base + "emr/home?region=" + r + "#/serverless/applications/" + enc(app)
                        + (runId == null ? "" : "/job-runs/" + enc(runId));
            }
        };
    }

    private static String dataSyncTask(String jobName, String runId) {
        if (runId != null) {
            Matcher m = DATASYNC_EXECUTION.matcher(runId);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return enc(jobName);
    }

    /** China and GovCloud partitions have their own console domains. */
    private static String consoleDomain(String region) {
        if (region.startsWith("cn-")) {
            return "console.amazonaws.cn";
        }
        if (region.startsWith("us-gov-")) {
            return "console.amazonaws-us-gov.com";
        }
        return "console.aws.amazon.com";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
