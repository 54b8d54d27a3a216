package io.jobwatch.core.channel;

/**
 * What a channel is given to send. A closed set, so every channel decides what it does with each kind: a team's
 * digest, and an incident action (open, update, resolve, reopen — from the outbox) for the channels that take them.
 */
public sealed interface Notice permits DigestNotice, IncidentNotice {
}
