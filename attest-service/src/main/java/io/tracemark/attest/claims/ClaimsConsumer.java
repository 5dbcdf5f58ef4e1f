package io.tracemark.attest.claims;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.tracemark.attest.events.EventLog;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows {@code tracemark.events} for anchored media works and appends the {@code claim.conflict} events their
 * priority raises ({@link ClaimPriority}). A redelivered batch raises the same events again, with the same ids.
 */
@ApplicationScoped
public class ClaimsConsumer {
    private static final String MEDIA_WORK = "media.work";

    @Inject
    ClaimPriority priority;
    @Inject
    EventLog events;

    @Incoming("claim-events")
    @Blocking
    // Bounded like the rejections: after ten minutes of failing the channel fails, which liveness reports.
    @Retry(maxRetries = -1, delay = 200, maxDuration = 600_000, jitter = 100)
    @ExponentialBackoff(maxDelay = 10_000)
    public void consume(ConsumerRecords<byte[], byte[]> records) {
        List<ClaimPriority.Anchored> anchored = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Header type = r.headers().lastHeader(EventCodec.TYPE_HEADER);
            if (type == null || !EventTypes.RECORD_ANCHORED.equals(new String(type.value(), StandardCharsets.UTF_8))
                    || r.headers().lastHeader(EventCodec.WORK_HEADER) == null) {
                // Only an anchored media work carries the work header: every other event is passed over unread.
                continue;
            }
            Event e;
            try {
                e = EventCodec.decode(r.value(), name -> {
                    Header h = r.headers().lastHeader(name);
                    return h == null ? null : h.value();
                });
            } catch (ContractViolation ex) {
                // The pull cursor logs unreadable events; there is nothing to rank here.
                continue;
            }
            if (MEDIA_WORK.equals(e.data().path("type").asText()) && e.data().path("leafIndex").canConvertToLong()) {
                anchored.add(new ClaimPriority.Anchored(e.data().path("recordId").asText(), e.data().path("leafIndex").asLong(),
                        parse(e.data().path("anchoredAt").asText(null), e.timestamp())));
            }
        }
        if (!anchored.isEmpty()) {
            List<Event> conflicts = priority.conflicts(anchored);
            if (!conflicts.isEmpty()) {
                events.append(conflicts);
            }
        }
    }

    private static Instant parse(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
