package io.tracemark.attest.kafka;

import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** An {@link Event} as a record of {@code tracemark.events}, in the contract's form ({@link EventCodec}). */
public final class EventRecords {
    private EventRecords() {
    }

    /** Key = tenant (one partition per tenant keeps its order), value = the delivered body, filter headers. */
    public static ProducerRecord<byte[], byte[]> of(String topic, Event e) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, EventCodec.key(e).getBytes(StandardCharsets.UTF_8),
                EventCodec.value(e));
        EventCodec.headers(e).forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    /**
     * {@link #of(String, Event)} carrying the W3C {@code traceparent} of the record it is about, if
     * {@code traceOfRecord} knows one, so that its consumers continue the record's trace.
     */
    public static ProducerRecord<byte[], byte[]> of(String topic, Event e, Function<String, byte[]> traceOfRecord) {
        ProducerRecord<byte[], byte[]> r = of(topic, e);
        org.apache.kafka.common.header.Header record = r.headers().lastHeader(EventCodec.RECORD_HEADER);
        byte[] trace = record == null ? null : traceOfRecord.apply(new String(record.value(), StandardCharsets.UTF_8));
        if (trace != null) {
            r.headers().add(RecordTraces.TRACEPARENT, trace);
        }
        return r;
    }

    /** {@link #of(String, Event)} carrying {@code traceparent}, the W3C trace context of its record, unless null. */
    public static ProducerRecord<byte[], byte[]> of(String topic, Event e, byte[] traceparent) {
        ProducerRecord<byte[], byte[]> r = of(topic, e);
        if (traceparent != null) {
            r.headers().add(RecordTraces.TRACEPARENT, traceparent);
        }
        return r;
    }
}
