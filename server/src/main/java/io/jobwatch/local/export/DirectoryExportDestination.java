package io.jobwatch.local.export;

import io.jobwatch.core.export.ExportDestination;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@link ExportDestination} on a local directory (embedded mode, demo). Each object is written to a hidden temp file
 * beside its final path and moved into place on commit, atomically where the file system allows: a crash never
 * leaves a half-written file under the final name, and readers never see one.
 */
public final class DirectoryExportDestination implements ExportDestination {
    private final Path root;

    public DirectoryExportDestination(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file a key ends up in; refuses keys that would leave the root. */
    public Path path(String key) {
        Path p = root.resolve(key).normalize();
        if (key.startsWith("/") || !p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("export key '" + key + "' is not a relative path under " + root);
        }
        return p;
    }

    @Override
    public PendingObject open(String key) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        removeStaleTemps(target);
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        OutputStream out = Files.newOutputStream(temp);
        return new PendingObject() {
            boolean committed;
            boolean closed;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public void commit() throws IOException {
                out.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                committed = true;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                if (!committed) {
                    out.close();
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    /**
     * A process killed while writing this key left its hidden temp file behind (a commit moves it, a close deletes
     * it; a kill does neither): remove it, so a re-run leaves exactly the export's files. One export writes a key at a
     * time, so a temp file of the same key found now is a dead process's.
     */
    private static void removeStaleTemps(Path target) throws IOException {
        String prefix = "." + target.getFileName();
        try (java.nio.file.DirectoryStream<Path> temps = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        }
    }

    @Override
    public String describe(String key) {
        return path(key).toString();
    }
}
