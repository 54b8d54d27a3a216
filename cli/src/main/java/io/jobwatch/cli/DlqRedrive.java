package io.jobwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Replays the ingest dead-letter queue ({@code jobwatch aws redrive}). Each message holds one job event, either as
 * its body (EventBridge's target DLQ, the SQS queue's redrive) or inside Lambda's on-failure invocation record
 * ({@code requestPayload}); the event goes back the way it failed:
 * <ul>
 * <li>to the ingest function ({@link ToFunction}): a synchronous invocation with up to 10 events in the SQS batch
 * shape, so the function's {@code batchItemFailures} say which were stored;</li>
 * <li>to the ingest queue ({@link ToQueue}, queue mode): sent again, the event source mapping does the rest.</li>
 * </ul>
 * A message is deleted from the DLQ only after its event was stored (or accepted by the queue); one that fails stays,
 * hidden for the rest of the run and visible again when it ends, so a failed redrive loses nothing and can be run
 * again at once. Re-applying an event that was stored before is harmless (the store keys writes by event id).
 */
final class DlqRedrive {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the events go back to. */
    sealed interface Target permits ToFunction, ToQueue {
    }

    /** The ingest function (name, ARN or alias ARN): direct mode. */
    record ToFunction(String function) implements Target {
    }

    /** The ingest queue's URL: queue mode. */
    record ToQueue(String queueUrl) implements Target {
    }

    /**
     * @param dlqUrl             the ingest DLQ
     * @param max                stop after this many messages
     * @param visibilitySeconds  how long a received message stays hidden while the run handles it
     */
    record Options(String dlqUrl, Target target, int max, int visibilitySeconds) {
        Options {
            Objects.requireNonNull(dlqUrl, "dlqUrl");
            Objects.requireNonNull(target, "target");
            if (max < 1) {
                throw new IllegalArgumentException("--max must be at least 1, was " + max);
            }
        }
    }

    /** What happened to one message. {@code result}: replayed (and deleted from the DLQ) or failed (left in it). */
    record Outcome(String messageId, String eventId, String origin, String result, String error) {
    }

    /** The totals. */
    record Summary(int messages, int replayed, int failed) {
    }

    private final SqsClient sqs;
    private final LambdaClient lambda;

    /** @param lambda the Lambda client, or null when replaying to a queue */
    DlqRedrive(SqsClient sqs, LambdaClient lambda) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.lambda = lambda;
    }

    Summary run(Options options, Consumer<Outcome> each) {
        int messages = 0;
        int replayed = 0;
        int failed = 0;
        // Messages that failed in this run, with their latest receipt handle: hidden while the run goes on (so it
        // moves on to the others), released at the end so the next redrive can take them at once.
        Map<String, String> kept = new LinkedHashMap<>();
        int onlySeen = 0;
        while (messages < options.max() && onlySeen < 3) {
            int want = Math.min(10, options.max() - messages);
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(options.dlqUrl()).maxNumberOfMessages(want)
                    .waitTimeSeconds(1).visibilityTimeout(options.visibilitySeconds())).messages();
            if (received.isEmpty()) {
                break;
            }
            List<Message> batch = new ArrayList<>();
            for (Message m : received) {
                if (kept.containsKey(m.messageId())) {
                    kept.put(m.messageId(), m.receiptHandle()); // failed earlier in this run: not again now
                } else {
                    batch.add(m);
                }
            }
            if (batch.isEmpty()) {
                onlySeen++;
                continue;
            }
            onlySeen = 0;
            Map<Message, DlqEvent> events = new LinkedHashMap<>();
            batch.forEach(m -> events.put(m, DlqEvent.of(m.body())));
            Map<String, String> errors = options.target() instanceof ToFunction f ? invoke(f, events)
                    : send((ToQueue) options.target(), events);
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            for (Map.Entry<Message, DlqEvent> e : events.entrySet()) {
                Message m = e.getKey();
                String error = errors.get(m.messageId());
                messages++;
                if (error == null) {
                    replayed++;
                    done.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(done.size()))
                            .receiptHandle(m.receiptHandle()).build());
                } else {
                    failed++;
                    kept.put(m.messageId(), m.receiptHandle());
                }
                each.accept(new Outcome(m.messageId(), e.getValue().eventId(), e.getValue().origin(),
                        error == null ? "replayed" : "failed", error));
            }
            if (!done.isEmpty()) {
                var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(options.dlqUrl()).entries(done));
                if (deleted.hasFailed() && !deleted.failed().isEmpty()) {
                    // Replayed but still in the DLQ: replaying it again later is harmless (writes keyed by event id).
                    throw new IllegalStateException("replayed, but could not delete " + deleted.failed().size()
                            + " message(s) from " + options.dlqUrl() + ": " + deleted.failed().get(0).message()
                            + " (running the redrive again replays them once more, which is harmless)");
                }
            }
        }
        release(options.dlqUrl(), kept.values());
        return new Summary(messages, replayed, failed);
    }

    /** Makes the kept messages visible again at once (the next redrive need not wait for the visibility timeout). */
    private void release(String dlqUrl, java.util.Collection<String> receiptHandles) {
        List<String> handles = new ArrayList<>(receiptHandles);
        for (int i = 0; i < handles.size(); i += 10) {
            List<String> chunk = handles.subList(i, Math.min(i + 10, handles.size()));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(String.valueOf(j))
                        .receiptHandle(chunk.get(j)).visibilityTimeout(0).build());
            }
            // Best effort: a message not released reappears after the visibility timeout anyway.
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(dlqUrl).entries(entries));
        }
    }

    /** One synchronous invocation per batch; returns the errors by message id. */
    private Map<String, String> invoke(ToFunction target, Map<Message, DlqEvent> events) {
        if (lambda == null) {
            throw new IllegalStateException("no Lambda client to invoke " + target.function());
        }
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode records = payload.putArray("Records");
        for (Map.Entry<Message, DlqEvent> e : events.entrySet()) {
            records.addObject().put("messageId", e.getKey().messageId()).put("body", e.getValue().event())
                    .put("eventSource", "aws:sqs");
        }
        InvokeResponse response = lambda.invoke(b -> b.functionName(target.function())
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(SdkBytes.fromUtf8String(payload.toString())));
        Map<String, String> errors = new LinkedHashMap<>();
        String body = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            String message = "the function failed (" + response.functionError() + "): " + errorMessage(body);
            events.keySet().forEach(m -> errors.put(m.messageId(), message));
            return errors;
        }
        try {
            for (JsonNode f : JSON.readTree(body).path("batchItemFailures")) {
                errors.put(f.path("itemIdentifier").asText(), "not stored by the function (it logged why); left"
                        + " in the DLQ");
            }
        } catch (java.io.IOException e) {
            String message = "the function's response is not JSON: " + abbreviate(body);
            events.keySet().forEach(m -> errors.put(m.messageId(), message));
        }
        return errors;
    }

    /** One SendMessageBatch to the ingest queue; returns the errors by message id. */
    private Map<String, String> send(ToQueue target, Map<Message, DlqEvent> events) {
        List<Message> order = new ArrayList<>(events.keySet());
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i))
                    .messageBody(events.get(order.get(i)).event()).build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(target.queueUrl()).entries(entries));
        Map<String, String> errors = new LinkedHashMap<>();
        if (response.hasFailed()) {
            for (BatchResultErrorEntry f : response.failed()) {
                errors.put(order.get(Integer.parseInt(f.id())).messageId(), "not accepted by " + target.queueUrl()
                        + ": " + f.code() + " " + f.message());
            }
        }
        return errors;
    }

    private static String errorMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error.hasNonNull("errorMessage")) {
                return error.path("errorType").asText("error") + ": " + error.get("errorMessage").asText();
            }
        } catch (java.io.IOException notJson) {
            // fall through: the raw text says it best
        }
        return abbreviate(body);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /**
     * The job event in a DLQ message.
     *
     * @param event   the EventBridge event's JSON text (what the ingest function takes)
     * @param eventId the event's id, "" when the body is not an event
     * @param origin  where the message came from: {@code lambda-destination} (an invocation record: the function
     *                failed it), {@code event} (EventBridge's target DLQ or the queue's redrive) or {@code unknown}
     *                (replayed as it is; the function parks what is not a job event, with the reason)
     */
    record DlqEvent(String event, String eventId, String origin) {
        static DlqEvent of(String body) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (java.io.IOException notJson) {
                return new DlqEvent(body, "", "unknown");
            }
            if (root != null && root.isObject() && root.has("requestContext") && root.path("requestPayload").isObject()) {
                JsonNode event = root.get("requestPayload");
                return new DlqEvent(event.toString(), event.path("id").asText(""), "lambda-destination");
            }
            if (root != null && root.isObject() && root.has("detail-type")) {
                return new DlqEvent(body, root.path("id").asText(""), "event");
            }
            return new DlqEvent(body, "", "unknown");
        }
    }
}
