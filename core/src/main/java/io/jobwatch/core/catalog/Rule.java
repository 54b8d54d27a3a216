package io.jobwatch.core.catalog;

/**
 * One rule of {@code jobs}, as written.
 *
 * @param index       position in {@code jobs} (0-based); the first matching rule wins
 * @param name        the rule's unique name
 * @param description free text, may be empty
 * @param match       the EventBridge event pattern as compact JSON
 * @param line        1-based line of the rule in the file
 */
public record Rule(int index, String name, String description, String match, int line) {
}
