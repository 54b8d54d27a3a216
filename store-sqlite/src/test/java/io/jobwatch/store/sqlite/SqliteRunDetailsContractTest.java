package io.jobwatch.store.sqlite;

import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.detail.RunDetailsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunDetailsContractTest extends RunDetailsContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    protected RunDetails newDetails() {
        return new SqliteRunDetails(dir.resolve("details-" + (n++) + ".db"));
    }
}
