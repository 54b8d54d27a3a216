package io.jobwatch.core.digest;

/** What to do with a digest that has nothing to report (configurable per team). */
public enum AllGreen {
    /** Send the short "all N jobs healthy" message: people see the watcher is alive. */
    SEND,
    /** Send nothing. */
    SKIP
}
