package io.jobwatch.infra;

import io.jobwatch.core.source.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * The EventBridge pattern for the job events Jobwatch understands, built from the source registry ({@link Sources}) so the
 * rules and the code that reads the events cannot drift. Every detail type belongs to exactly one source, so
 * "source in S and detail-type in D" matches exactly the supported pairs.
 */
public final class JobEvents {

    private JobEvents() {
    }

    /** Event sources in the normalizers' order: aws.glue, aws.states, … */
    public static List<String> sources() {
        return List.copyOf(Sources.detailTypesByEventSource().keySet());
    }

    /** Detail types of all sources, in the normalizers' order. */
    public static List<String> detailTypes() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : Sources.detailTypesByEventSource().entrySet()) {
            out.addAll(e.getValue());
        }
        return List.copyOf(out);
    }

    public static EventPattern pattern() {
        return EventPattern.builder().source(sources()).detailType(detailTypes()).build();
    }
}
