package io.tracemark.attest.kafka;

import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

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
}
