package io.jobwatch.lambda;

import java.time.Instant;

/**
 * One CloudWatch metric as an Embedded Metric Format log line: Lambda ships stdout to CloudWatch Logs, which
 * extracts the metric. No PutMetricData call, no cloudwatch permission, no extra SDK client at cold start.
 */
final class EmbeddedMetric {
    static final String NAMESPACE = "Jobwatch";

    private EmbeddedMetric() {
    }

    /** The EMF JSON line for one value without dimensions. Names are code constants (no escaping needed). */
    static String line(String name, String unit, double value, Instant at) {
        return "{\"_aws\":{\"Timestamp\":" + at.toEpochMilli() + ",\"CloudWatchMetrics\":[{\"Namespace\":\""
                + NAMESPACE + "\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"" + name + "\",\"Unit\":\"" + unit
                + "\"}]}]},\"" + name + "\":" + (value == Math.rint(value) ? Long.toString((long) value)
                : Double.toString(value)) + "}";
    }
}
