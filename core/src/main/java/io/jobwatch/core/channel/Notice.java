package io.jobwatch.core.channel;

/**
 * What a channel is given to send. A closed set, so every channel decides what it does with each kind: today a team's
 * digest; incident actions (open, update, resolve, from the incident outbox) are the next kind.
 */
public sealed interface Notice permits DigestNotice {
}
