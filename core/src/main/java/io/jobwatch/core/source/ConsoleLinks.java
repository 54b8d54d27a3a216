package io.jobwatch.core.source;

import io.jobwatch.core.run.JobKey;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Links to the AWS console page of a run (or, where the console has none per run, of its job), so whoever reads a
 * ticket or a digest gets to the logs in one click. The page opens in the run's region; the reader still has to be
 * signed in to the run's account. Each EventBridge source's {@link EventBridgeSource#consolePath} gives the page; this class adds
 * the partition's console host: {@code REGION.console.aws.amazon.com}, {@code REGION.console.amazonaws.cn} in China,
 * and {@code console.amazonaws-us-gov.com} in GovCloud (no regional host there; the {@code region} query parameter
 * selects the region, as the GovCloud console's own links and the AWS documentation's do).
 */
public final class ConsoleLinks {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private ConsoleLinks() {
    }

    /**
     * The console page for {@code runId} of {@code job}; with a null run id, the job's page. Null when the region is
     * not a region name (a link must never point anywhere but the console) or the source can make no safe link.
     */
    public static String forRun(JobKey job, String runId) {
        String region = job.region();
        if (!REGION.matcher(region).matches()) {
            return null;
        }
        if (!(Sources.of(job.source()) instanceof EventBridgeSource source)) {
            return null; // pings and lineage events come from outside AWS: there is no console page
        }
        String path = source.consolePath(job, runId);
        return path == null ? null : "https://" + host(region) + "/" + path;
    }

    /** {@code CONSOLE/home?region=REGION}: the start of most consoles' pages (the fragment follows). */
    static String home(String console, String region) {
        return console + "/home?region=" + region;
    }

    static String host(String region) {
        if (region.startsWith("cn-")) {
            return region + ".console.amazonaws.cn";
        }
        if (region.startsWith("us-gov-")) {
            return "console.amazonaws-us-gov.com";
        }
        return region + ".console.aws.amazon.com";
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
