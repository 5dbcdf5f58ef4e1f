package io.tracemark.edge.logging;

/** Names of the log MDC fields every service uses, so that one query finds a record or tenant across services. */
public final class LogFields {
    /** The tenant a request or record belongs to. */
    public static final String TENANT = "tenant";
    /** The record a log line is about. */
    public static final String RECORD_ID = "recordId";
    /** The W3C trace id of the record's trace; the name OpenTelemetry's own MDC entry uses, so both agree. */
    public static final String TRACE_ID = "traceId";
    /** The span of that trace the record came from (its {@code traceparent}'s parent id), named as OpenTelemetry's. */
    public static final String SPAN_ID = "spanId";
    /** Where the Kafka message a log line is about was read: {@code topic/partition/offset}. */
    public static final String KAFKA_POSITION = "kafkaPosition";
    /** The sealed block a log line is about. */
    public static final String BLOCK_HEIGHT = "blockHeight";

    private LogFields() {
    }
}
