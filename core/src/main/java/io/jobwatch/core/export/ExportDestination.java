package io.jobwatch.core.export;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where exported objects go (a local directory, an S3 bucket). Keys are relative ({@code runs/dt=2026-11-16/runs.csv.gz});
 * the destination adds its own root or prefix.
 *
 * <p>Writing is all-or-nothing per object: nothing is visible under the key until {@link PendingObject#commit()},
 * and closing an uncommitted object discards it (temp file deleted, multipart upload aborted). Committing replaces
 * whatever the key held, so a re-export overwrites instead of duplicating.
 */
public interface ExportDestination {

    /** Starts writing the object under {@code key}. Callers write, then commit, and always close. */
    PendingObject open(String key) throws IOException;

    /** Where {@code key} ends up, for messages and reports (e.g. {@code s3://bucket/prefix/key} or a path). */
    String describe(String key);

    /** An object being written. */
    interface PendingObject extends Closeable {
        /** The bytes of the object; do not close it yourself, {@link #commit()} does. */
        OutputStream stream();

        /** Makes the object visible under its key, replacing any previous one. */
        void commit() throws IOException;

        /** Discards the object unless it was committed. Never throws for an already committed object. */
        @Override
        void close() throws IOException;
    }
}
