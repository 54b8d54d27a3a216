package io.jobwatch.notify;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.ChannelRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel types this module provides, registered once, in the order the environment is asked for a team that
 * names no channels: SMTP, then Amazon SES, then Amazon SNS; then the types only a team's {@code channels:} names —
 * Slack, Microsoft Teams, PagerDuty and signed webhooks, which also hear about incidents. A new channel is its class
 * (with its factory) and its line here.
 */
public final class StandardChannels {
    private StandardChannels() {
    }

    public static List<ChannelFactory> factories(AwsSetup aws) {
        return List.of(SmtpChannel.FACTORY, SesChannel.factory(aws), SnsChannel.factory(aws), SlackChannel.FACTORY,
                TeamsChannel.FACTORY, PagerDutyChannel.FACTORY, WebhookChannel.FACTORY);
    }

    /** The standard types, and no fallback (CLI, Lambda). */
    public static ChannelRegistry registry(AwsSetup aws) {
        return new ChannelRegistry(factories(aws), null);
    }

    /** The standard types plus a deployment's own (e.g. the local server's HTML files) as the fallback. */
    public static ChannelRegistry registry(AwsSetup aws, ChannelFactory local, ChannelSpec fallback) {
        List<ChannelFactory> all = new ArrayList<>(factories(aws));
        all.add(local);
        return new ChannelRegistry(all, fallback);
    }
}
