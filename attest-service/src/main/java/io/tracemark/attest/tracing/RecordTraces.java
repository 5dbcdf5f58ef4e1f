package io.tracemark.attest.tracing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracemark.contracts.tracing.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each record's W3C trace context, from its anchor request's {@code traceparent} header (set by ingest's
 * OpenTelemetry Kafka instrumentation) to the {@code record.accepted} and {@code record.anchored} events attest
 * publishes for it, whose consumers (webhooks, claims, other services) continue the trace. The ledger and
 * anchoring steps batch many records per Kafka message and per block, so no span of theirs belongs to one record:
 * the events carry the record's own context, as the request brought it. Held in memory between the two steps,
 * bounded by {@code tracemark.attest.tracing.max-pending} records (the oldest go first; their events then go
 * without a trace, as after a restart); 0 switches it off. The ledger step's leaf-batch spans link to these contexts
 * ({@link PipelineSpans}) whether or not they are held.
 */
@ApplicationScoped
public class RecordTraces {
    /** The W3C Trace Context header (and Kafka header) name. */
    public static final String TRACEPARENT = TraceHeaders.TRACEPARENT;

    private final int max;
    private final Map<String, byte[]> byRecord;

    public RecordTraces(@ConfigProperty(name = "tracemark.attest.tracing.max-pending", defaultValue = "100000") int max,
                        MeterRegistry meters) {
        this.max = max;
        this.byRecord = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > RecordTraces.this.max;
            }
        };
        Gauge.builder("tracemark.attest.tracing.pending", this, RecordTraces::size).baseUnit("records")
                .description("records whose trace context waits in memory for their record.anchored event").register(meters);
    }

    /** The valid {@code traceparent} of each request of a poll that carries one, by record id (the message key). */
    public static Map<String, byte[]> carried(Iterable<ConsumerRecord<byte[], byte[]>> requests) {
        Map<String, byte[]> found = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : requests) {
            Header h = r.headers().lastHeader(TRACEPARENT);
            if (h != null && r.key() != null && isValid(h.value())) {
                found.put(new String(r.key(), StandardCharsets.UTF_8), h.value());
            }
        }
        return found;
    }

    /**
     * Keeps the trace contexts a poll's requests {@link #carried} (by record id), and returns them for the poll's own
     * events (none when switched off).
     */
    public Map<String, byte[]> offer(Map<String, byte[]> carried) {
        if (max <= 0) {
            return Map.of();
        }
        if (!carried.isEmpty()) {
            synchronized (byRecord) {
                byRecord.putAll(carried);
            }
        }
        return carried;
    }

    /** The {@code traceparent}s of those of {@code recordIds} still held, by record id (one lock for the lot). */
    public Map<String, byte[]> of(Collection<String> recordIds) {
        Map<String, byte[]> out = new HashMap<>();
        synchronized (byRecord) {
            if (byRecord.isEmpty()) {
                return out;
            }
            for (String id : recordIds) {
                byte[] t = byRecord.get(id);
                if (t != null) {
                    out.put(id, t);
                }
            }
        }
        return out;
    }

    /** Forgets the records of {@code recordIds}: their last event is out. */
    public void forget(Collection<String> recordIds) {
        synchronized (byRecord) {
            if (byRecord.isEmpty()) {
                return;
            }
            for (String id : recordIds) {
                byRecord.remove(id);
            }
        }
    }

    /** Records held now. */
    public int size() {
        synchronized (byRecord) {
            return byRecord.size();
        }
    }

    /** Whether a header value is a W3C traceparent OpenTelemetry accepts (valid, non-zero trace and span ids). */
    static boolean isValid(byte[] traceparent) {
        return TraceHeaders.parse(traceparent, null).isValid();
    }
}
