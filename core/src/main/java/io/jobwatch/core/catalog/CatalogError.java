package io.jobwatch.core.catalog;

/**
 * One problem in a catalog file.
 *
 * @param file    the file label given to the loader
 * @param line    1-based line
 * @param column  1-based column
 * @param keyPath where in the document, e.g. {@code jobs[3].expectations.schedule} ("" for the whole file)
 * @param message what is wrong
 * @param hint    how to fix it ("" when the message says it all)
 */
public record CatalogError(String file, int line, int column, String keyPath, String message, String hint) {

    /** {@code jobwatch.yml:12:7: jobs[3].expectations.schedule: invalid cron … — fix: …} */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + message
                + (hint.isEmpty() ? "" : " — fix: " + hint);
    }
}
