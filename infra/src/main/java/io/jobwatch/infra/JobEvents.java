package io.jobwatch.infra;

import io.jobwatch.core.source.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;

/**
 * The EventBridge pattern for the job events Jobwatch understands, built from the source registry ({@link Sources}) so
 * the rules and the code that reads the events cannot drift: each source's envelope source and detail-types, and
 * where a source narrows its events (an ECS service's tasks, a DMS task's non-run events stay in their account) a
 * {@code $or} branch of its own with that filter. Every detail type belongs to exactly one source.
 */
public final class JobEvents {

    private JobEvents() {
    }

    /** Event sources in the registry's order: aws.glue, aws.states, … */
    public static List<String> sources() {
        return List.copyOf(Sources.detailTypesByEventSource().keySet());
    }

    /** Detail types of all sources, in the registry's order. */
    public static List<String> detailTypes() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : Sources.detailTypesByEventSource().entrySet()) {
            out.addAll(e.getValue());
        }
        return List.copyOf(out);
    }

    /** The sources and detail-types alone, for the rule's builder; {@link #applyTo} then sets the whole pattern. */
    public static EventPattern pattern() {
        return EventPattern.builder().source(sources()).detailType(detailTypes()).build();
    }

    /**
     * Sets the rule's pattern to the registry's ({@link Sources#eventPattern()}, with its {@code $or} branches: the
     * CDK's {@link EventPattern} has no {@code $or}, so it goes in as the CloudFormation property).
     */
    public static Rule applyTo(Rule rule) {
        CfnRule cfn = (CfnRule) rule.getNode().getDefaultChild();
        // Overrides merge into the rendered pattern: drop its keys first, then set the registry's.
        cfn.addPropertyDeletionOverride("EventPattern.source");
        cfn.addPropertyDeletionOverride("EventPattern.detail-type");
        Sources.eventPattern().forEach((key, value) -> cfn.addPropertyOverride("EventPattern." + key, value));
        return rule;
    }
}
