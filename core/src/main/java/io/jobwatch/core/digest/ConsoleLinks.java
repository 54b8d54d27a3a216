package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links from a digest line to the run in the AWS console of the job's account and region (the reader must be
 * signed in to that account). Formats as the consoles use them:
 * <ul>
 *   <li>Glue job run: {@code gluestudio/home?region=R#/job/NAME/run/RUNID}</li>
 *   <li>Glue crawler (no run page): {@code glue/home?region=R#/v2/data-catalog/crawlers/view/NAME}</li>
 *   <li>Step Functions execution: {@code states/home?region=R#/v2/executions/details/EXECUTION_ARN}</li>
 *   <li>AppFlow flow (run history tab): {@code appflow/home?region=R#/details/FLOW}</li>
 *   <li>DataSync execution: {@code datasync/home?region=R#/history/TASK_ID/EXEC_ID}</li>
 *   <li>Batch job: {@code batch/home?region=R#jobs/detail/JOB_ID}</li>
 *   <li>EMR Serverless run: {@code emr/home?region=R#/serverless/applications/APP_ID/job-runs/RUN_ID}</li>
 * </ul>
 * Private to the digest: the incident work has its own. Returns null when no safe link can be made.
 */
final class ConsoleLinks {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern DATASYNC_EXECUTION =
            Pattern.compile("arn:[^:]+:datasync:[^:]*:[^:]*:task/(task-[0-9a-zA-Z]+)/execution/(exec-[0-9a-zA-Z]+)");

    private ConsoleLinks() {
    }

    static String run(JobKey job, String runId) {
        String region = job.region();
        if (!REGION.matcher(region).matches() || runId == null) {
            return null;
        }
        String name = segment(job.jobName());
        String id = segment(runId);
        return switch (job.source()) {
            case GLUE_JOB -> base(region, "gluestudio") + "#/job/" + name + "/run/" + id;
            case GLUE_CRAWLER -> base(region, "glue") + "#/v2/data-catalog/crawlers/view/" + name;
            case STEP_FUNCTIONS -> base(region, "states") + "#/v2/executions/details/" + id;
            case APPFLOW -> base(region, "appflow") + "#/details/" + name;
            case DATASYNC -> {
                Matcher m = DATASYNC_EXECUTION.matcher(runId);
                yield m.matches() ? base(region, "datasync") + "#/history/" + m.group(1) + "/" + m.group(2) : null;
            }
            case BATCH -> base(region, "batch") + "#jobs/detail/" + id;
            case EMR_SERVERLESS -> {
                String app = job.jobName().contains("/") ? job.jobName().substring(0, job.jobName().indexOf('/')) : job.jobName();
                yield base(region, "emr") + "#/serverless/applications/" + segment(app) + "/job-runs/" + id;
            }
        };
    }

    private static String base(String region, String console) {
        String host = region.startsWith("cn-") ? region + ".console.amazonaws.cn"
                : region.startsWith("us-gov-") ? "console.amazonaws-us-gov.com"
                : region + ".console.aws.amazon.com";
        return "https://" + host + "/" + console + "/home?region=" + region;
    }

    /** Percent-encodes everything but unreserved characters and ':' / '@' (kept so ARNs stay readable). */
    static String segment(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
