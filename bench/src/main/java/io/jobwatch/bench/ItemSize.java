package io.jobwatch.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of a DynamoDB item as DynamoDB counts it for billing and storage: each attribute's name (UTF-8 bytes)
 * plus its value (strings: UTF-8 bytes; numbers: ~1 byte per two significant digits + 1; booleans and nulls: 1;
 * lists and maps: 3 bytes + 1 per element + the elements; sets: the elements).
 */
final class ItemSize {
    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        } else if (v.n() != null) {
            return number(v.n());
        } else if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        } else if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        } else if (v.hasM()) {
            return 3 + v.m().size() + of(v.m());
        } else if (v.hasL()) {
            long s = 3;
            for (AttributeValue x : v.l()) {
                s += 1 + value(x);
            }
            return s;
        } else if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSize::utf8).sum();
        } else if (v.hasNs()) {
            return v.ns().stream().mapToLong(ItemSize::number).sum();
        } else if (v.hasBs()) {
            return v.bs().stream().map(SdkBytes::asByteArrayUnsafe).mapToLong(b -> b.length).sum();
        }
        return 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }
}
