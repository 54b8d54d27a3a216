package io.jobwatch.core.digest;

import java.util.ArrayList;
import java.util.List;

/**
 * The one-line summary used as email subject and SNS subject:
 * {@code Jobwatch — FinData: 2 failing, 1 late, 41 ok (11:00)}.
 * <ul>
 *   <li>the name is {@link Digest#heading()}: the system for a single-system team, else the team name;</li>
 *   <li>"failing" and "late" appear only when non-zero, "ok" always;</li>
 *   <li>an all-green digest reads {@code Jobwatch — FinData: all 44 jobs healthy (11:00)};</li>
 *   <li>the time is the end of the window in the team's zone.</li>
 * </ul>
 */
public final class DigestSubject {
    private DigestSubject() {
    }

    public static String of(Digest d) {
        String head = "Jobwatch \u2014 " + d.heading() + ": ";
        String tail = " (" + d.timeLabel() + ")";
        if (d.allGreen()) {
            return head + "all " + d.jobCount() + (d.jobCount() == 1 ? " job" : " jobs") + " healthy" + tail;
        }
        List<String> parts = new ArrayList<>();
        if (d.failingCount() > 0) {
            parts.add(d.failingCount() + " failing");
        }
        if (d.lateCount() > 0) {
            parts.add(d.lateCount() + " late");
        }
        parts.add(d.okCount() + " ok");
        return head + String.join(", ", parts) + tail;
    }
}
