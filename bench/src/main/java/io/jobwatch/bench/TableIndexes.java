package io.jobwatch.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A table's key and its secondary indexes as DescribeTable tells them (never assumed: the store's index projections
 * change), and what DynamoDB writes to each index for one table write — the rules of the Developer Guide's
 * "Provisioned throughput considerations" for global and local secondary indexes:
 * <ul>
 * <li>an item is in an index when it has all the index's key attributes;</li>
 * <li>not in it before nor after: nothing; new in it: 1 put; an index key value changed: 2 writes (delete the old
 * entry, put the new); left it (an index key removed, or the item deleted): 1 delete;</li>
 * <li>in it before and after with the same index key: 1 write if a projected attribute changed, else nothing ("If a
 * write to a table does not require a global secondary index update, then no write capacity is consumed");</li>
 * <li>each index write costs 1 unit per started KB of the index entry: table key + index key + projected non-key
 * attributes + 100 bytes (the index item's size in "Storage considerations"). An entry rewritten in place is billed
 * on the larger of its old and new size, as DynamoDB bills a table update on the larger image.</li>
 * </ul>
 *
 * @param tableKeys the table's key attribute names (partition, then sort key if any)
 * @param indexes   every LSI and GSI of the table
 */
record TableIndexes(String table, List<String> tableKeys, List<Index> indexes) {
    /** Bytes DynamoDB adds to every index entry (and every table item) for storage and write sizes. */
    static final int ENTRY_OVERHEAD = 100;

    TableIndexes {
        tableKeys = List.copyOf(tableKeys);
        indexes = List.copyOf(indexes);
    }

    /** Reads the table's key schema and the key schema and Projection of every LSI and GSI. */
    static TableIndexes describe(DynamoDbClient client, String table) {
        TableDescription t = client.describeTable(b -> b.tableName(table)).table();
        List<Index> indexes = new ArrayList<>();
        for (LocalSecondaryIndexDescription l : t.localSecondaryIndexes()) {
            indexes.add(Index.of(l.indexName(), true, l.keySchema(), l.projection()));
        }
        for (GlobalSecondaryIndexDescription g : t.globalSecondaryIndexes()) {
            indexes.add(Index.of(g.indexName(), false, g.keySchema(), g.projection()));
        }
        return new TableIndexes(table, names(t.keySchema()), indexes);
    }

    /** The table key of an item (or of a key map). */
    Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String k : tableKeys) {
            AttributeValue v = item.get(k);
            if (v == null) {
                throw new IllegalArgumentException("item of table " + table + " lacks its key attribute " + k);
            }
            key.put(k, v);
        }
        return key;
    }

    /** Every index write one table write causes, from the item before it and after it (null: no item). */
    List<IndexWrite> writes(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        List<IndexWrite> writes = new ArrayList<>();
        for (Index i : indexes) {
            i.writes(tableKeys, before, after, writes);
        }
        return writes;
    }

    /** What each index holds of an item: its entry's bytes (overhead included) per index the item is in. */
    Map<String, Long> entryBytes(Map<String, AttributeValue> item) {
        Map<String, Long> bytes = new HashMap<>();
        for (Index i : indexes) {
            if (i.holds(item)) {
                bytes.put(i.name(), i.entryBytes(tableKeys, item));
            }
        }
        return bytes;
    }

    /**
     * One secondary index.
     *
     * @param keys     its key attribute names (partition, then sort key if any)
     * @param type     ALL, KEYS_ONLY or INCLUDE
     * @param included the non-key attributes of an INCLUDE projection (empty otherwise)
     */
    record Index(String name, boolean local, List<String> keys, ProjectionType type, Set<String> included) {
        Index {
            keys = List.copyOf(keys);
            included = Set.copyOf(included);
        }

        static Index of(String name, boolean local, List<KeySchemaElement> keySchema, Projection p) {
            ProjectionType type = p == null || p.projectionType() == null ? ProjectionType.ALL : p.projectionType();
            Set<String> included = p == null || !p.hasNonKeyAttributes() ? Set.of() : new HashSet<>(p.nonKeyAttributes());
            return new Index(name, local, names(keySchema), type, included);
        }

        boolean holds(Map<String, AttributeValue> item) {
            return item != null && keys.stream().allMatch(item::containsKey);
        }

        /** The index entry of an item it holds: table key + index key + projected attributes. */
        Map<String, AttributeValue> entry(List<String> tableKeys, Map<String, AttributeValue> item) {
            Map<String, AttributeValue> entry = new HashMap<>();
            item.forEach((name, v) -> {
                if (type == ProjectionType.ALL || tableKeys.contains(name) || keys.contains(name)
                        || (type == ProjectionType.INCLUDE && included.contains(name))) {
                    entry.put(name, v);
                }
            });
            return entry;
        }

        long entryBytes(List<String> tableKeys, Map<String, AttributeValue> item) {
            return ItemSize.of(entry(tableKeys, item)) + ENTRY_OVERHEAD;
        }

        void writes(List<String> tableKeys, Map<String, AttributeValue> before, Map<String, AttributeValue> after,
                    List<IndexWrite> out) {
            boolean was = holds(before);
            boolean is = holds(after);
            if (!was && is) {
                out.add(new IndexWrite(name, IndexWrite.Kind.PUT, entryBytes(tableKeys, after)));
            } else if (was && !is) {
                out.add(new IndexWrite(name, IndexWrite.Kind.DELETE, entryBytes(tableKeys, before)));
            } else if (was) {
                boolean keyChanged = keys.stream().anyMatch(k -> !same(before.get(k), after.get(k)));
                if (keyChanged) {
                    out.add(new IndexWrite(name, IndexWrite.Kind.DELETE, entryBytes(tableKeys, before)));
                    out.add(new IndexWrite(name, IndexWrite.Kind.PUT, entryBytes(tableKeys, after)));
                } else if (!sameItem(entry(tableKeys, before), entry(tableKeys, after))) {
                    out.add(new IndexWrite(name, IndexWrite.Kind.UPDATE, Math.max(entryBytes(tableKeys, before),
                            entryBytes(tableKeys, after))));
                }
            }
        }
    }

    /**
     * One write to a secondary index and its size.
     *
     * @param bytes the index entry's size, overhead included
     */
    record IndexWrite(String index, Kind kind, long bytes) {
        enum Kind { PUT, DELETE, UPDATE }

        /** 1 write unit per started KB. */
        long units() {
            return Math.max(1, (bytes + 1023) / 1024);
        }
    }

    private static List<String> names(List<KeySchemaElement> schema) {
        // HASH before RANGE, whatever order DescribeTable lists them in.
        return schema.stream().sorted((a, b) -> a.keyTypeAsString().compareTo(b.keyTypeAsString()))
                .map(KeySchemaElement::attributeName).toList();
    }

    /** Items equal as DynamoDB compares values: numbers by value, sets as sets. */
    static boolean sameItem(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, AttributeValue> e : a.entrySet()) {
            if (!same(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean same(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.n() != null && b.n() != null) {
            return new BigDecimal(a.n()).compareTo(new BigDecimal(b.n())) == 0;
        }
        if (a.hasNs() && b.hasNs()) {
            return a.ns().stream().map(x -> new BigDecimal(x).stripTrailingZeros()).collect(java.util.stream.Collectors.toSet())
                    .equals(b.ns().stream().map(x -> new BigDecimal(x).stripTrailingZeros())
                            .collect(java.util.stream.Collectors.toSet()));
        }
        if (a.hasSs() && b.hasSs()) {
            return new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
        }
        if (a.hasBs() && b.hasBs()) {
            return new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
        }
        if (a.hasM() && b.hasM()) {
            return sameItem(a.m(), b.m());
        }
        if (a.hasL() && b.hasL()) {
            if (a.l().size() != b.l().size()) {
                return false;
            }
            for (int i = 0; i < a.l().size(); i++) {
                if (!same(a.l().get(i), b.l().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
