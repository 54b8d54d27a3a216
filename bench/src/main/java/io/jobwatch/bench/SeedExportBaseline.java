package io.jobwatch.bench;

import io.jobwatch.core.export.CsvRunWriter;
import io.jobwatch.core.export.ExportRow;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The seed's weekly export: Scan the whole table into one list, keep the week's runs, then write them as one gzip
 * CSV file (same writer and columns as Jobwatch's export, so only the reading differs).
 */
final class SeedExportBaseline {
    private SeedExportBaseline() {
    }

    /** @return rows written */
    static long export(DynamoDbClient client, String table, Instant from, Instant to, OutputStream out) throws IOException {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        SeedTable.scan(client, table, all::add);
        List<ExportRow> rows = new ArrayList<>();
        for (Map<String, AttributeValue> item : all) {
            Instant t = SeedTable.sortTime(item);
            if (!t.isBefore(from) && t.isBefore(to)) {
                rows.add(SeedTable.row(item));
            }
        }
        rows.sort(Comparator.comparing((ExportRow r) -> r.startedAt() == null ? r.endedAt() : r.startedAt(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        CsvRunWriter w = new CsvRunWriter(out, CsvRunWriter.GZIP_DEFAULT_LEVEL);
        for (ExportRow r : rows) {
            w.write(r);
        }
        return w.finish().rows();
    }
}
