package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogHolder;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.store.StoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogWatcherTest {
    @TempDir
    Path dir;

    @Test
    void check_reloadsAValidChange_keepsTheOldCatalogOnAnInvalidOne_andLogsTheErrors() throws Exception {
        String text = Files.readString(StoreFixtures.repo().resolve("examples/jobwatch.yml"));
        Path file = dir.resolve("jobwatch.yml");
        Files.writeString(file, text);
        Catalog first = ((CatalogResult.Loaded) CatalogLoader.load(file.toString(), text)).catalog();
        CatalogHolder holder = new CatalogHolder(first);
        List<String> log = new ArrayList<>();
        Metrics metrics = new Metrics();
        CatalogWatcher watcher = new CatalogWatcher(file, text, holder, metrics, log::add);

        assertThat(watcher.check()).isEqualTo(CatalogWatcher.Result.UNCHANGED);
        assertThat(holder.current()).isSameAs(first);

        Files.writeString(file, text.replace("erp-ops:", "erp-operations:").replace("team: erp-ops", "team: erp-operations"));
        assertThat(watcher.check()).isEqualTo(CatalogWatcher.Result.RELOADED);
        Catalog second = holder.current();
        assertThat(second).isNotSameAs(first);
        assertThat(second.teams()).containsKey("erp-operations");

        Files.writeString(file, text + "\nnot: [valid\n");
        assertThat(watcher.check()).isEqualTo(CatalogWatcher.Result.INVALID);
        assertThat(holder.current()).isSameAs(second);
        assertThat(log).anyMatch(l -> l.contains("invalid; keeping the catalog in force") && l.contains("jobwatch.yml"));
        assertThat(metrics.count("jobwatch_catalog_reloads_total{result=\"invalid\"}")).isEqualTo(1);

        Files.delete(file);
        assertThat(watcher.check()).isEqualTo(CatalogWatcher.Result.UNREADABLE);
        assertThat(holder.current()).isSameAs(second);
    }
}
