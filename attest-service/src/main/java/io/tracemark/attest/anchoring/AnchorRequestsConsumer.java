package io.tracemark.attest.anchoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns anchor requests into leaf batches: each poll's requests are registered in bulk, and those not
 * yet submitted are published as leaf batches of at most {@code tracemark.attest.max-leaves-per-batch}.
 * Offsets are committed only after that, so a crash replays the poll and registration dedupes it.
 */
@ApplicationScoped
public class AnchorRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(AnchorRequestsConsumer.class);
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    @Inject
    AnchorStore store;
    @Inject
    LeafPublisher leaves;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "tracemark.attest.max-leaves-per-batch", defaultValue = "4096")
    int maxLeaves;

    @Incoming("anchor-requests")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<AnchorRequest> requests = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            try {
                JsonNode n = json.readTree(r.value());
                String digest = n.path("digest").asText();
                if (!DIGEST.matcher(digest).matches()) {
                    LOG.errorf("ignoring anchor request at %s/%d/%d: digest is not 64 hex digits",
                            r.topic(), r.partition(), r.offset());
                    continue;
                }
                requests.add(new AnchorRequest(n.path("recordId").asText(), n.path("tenant").asText(),
                        n.path("type").asText(), digest, Instant.parse(n.path("acceptedAt").asText())));
            } catch (Exception e) {
                LOG.errorf("ignoring malformed anchor request at %s/%d/%d: %s", r.topic(), r.partition(), r.offset(), e.toString());
            }
        }
        Retry.forever("anchor batch", () -> {
            List<AnchorRequest> toSubmit = store.register(requests);
            int max = Math.min(maxLeaves, LeafBatchCodec.MAX_LEAVES_PER_RECORD);
            for (int from = 0; from < toSubmit.size(); from += max) {
                List<AnchorRequest> batch = toSubmit.subList(from, Math.min(toSubmit.size(), from + max));
                long offset = leaves.publish(batch);
                store.submitted(offset, batch);
            }
            return null;
        });
    }
}
