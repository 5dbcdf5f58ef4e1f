package io.tracemark.ingest.anchor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tracemark.ingest.media.MediaWorkType;
import io.tracemark.ingest.records.StoredRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes anchor requests for stored records to {@code tracemark.anchor-requests}.
 *
 * <p>Sends of a batch are pipelined and their acknowledgements awaited together, so a batch costs one
 * round trip to the broker, not one per record. The record id is the Kafka key, keeping every request
 * for a record on one partition. Media works also carry {@code work: {sha256, phash}}.
 */
@ApplicationScoped
public class AnchorRequestPublisher {
    @Inject
    @Channel("anchor-requests")
    MutinyEmitter<String> emitter;
    @Inject
    ObjectMapper json;

    /** Publishes one anchor request per record and waits until the broker acknowledged all of them. */
    public void publish(List<StoredRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Uni<Void>> acks = new ArrayList<>(records.size());
        for (StoredRecord r : records) {
            ObjectNode body = json.createObjectNode()
                    .put("recordId", r.id())
                    .put("tenant", r.tenant())
                    .put("type", r.type())
                    .put("digest", r.digest())
                    .put("acceptedAt", r.receivedAt().toString());
            if (MediaWorkType.NAME.equals(r.type())) {
                // attest-service compares these across tenants to raise claim.conflict events.
                ObjectNode work = body.putObject("work").put("sha256", r.keys().getString("sha256"));
                if (r.keys().getString("phash") != null) {
                    work.put("phash", r.keys().getString("phash"));
                } else {
                    work.putNull("phash");
                }
            }
            Message<String> m = Message.of(body.toString()).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(r.id()).build());
            acks.add(emitter.sendMessage(m));
        }
        Uni.join().all(acks).andFailFast().await().atMost(Duration.ofSeconds(60));
    }
}
