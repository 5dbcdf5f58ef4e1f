package io.tracemark.ingest.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tracemark.edge.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes rejected Kafka records to {@code tracemark.records.dlq}: the original key, value bytes
 * and headers unchanged, plus headers naming where it came from and an RFC 9457 problem body.
 */
@ApplicationScoped
public class DeadLetters {
    /** Header with the JSON problem describing why the record was rejected. */
    public static final String PROBLEM_HEADER = "tracemark-problem";

    @Inject
    @Channel("records-dlq")
    MutinyEmitter<byte[]> emitter;
    @Inject
    ObjectMapper json;

    /**
     * A rejected record and the reason.
     *
     * @param recordId the stored record it collided with (a conflict or duplicate), for the log; {@code null} if none
     */
    public record Rejected(ConsumerRecord<String, byte[]> record, Problem problem, String recordId) {
        public Rejected(ConsumerRecord<String, byte[]> record, Problem problem) {
            this(record, problem, null);
        }
    }

    /** Publishes all rejected records and waits for the broker's acknowledgements. */
    public void publish(List<Rejected> rejected) {
        List<Uni<Void>> acks = new ArrayList<>();
        for (Rejected r : rejected) {
            RecordHeaders headers = new RecordHeaders();
            for (Header h : r.record().headers()) {
                headers.add(h);
            }
            try {
                headers.add(PROBLEM_HEADER, json.writeValueAsBytes(r.problem()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            headers.add("tracemark-source", (r.record().topic() + "/" + r.record().partition() + "/" + r.record().offset())
                    .getBytes(StandardCharsets.UTF_8));
            OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(r.record().key()).withHeaders(headers).build();
            acks.add(emitter.sendMessage(Message.of(r.record().value() == null ? new byte[0] : r.record().value())
                    .addMetadata(meta)));
        }
        Uni.join().all(acks).andFailFast().await().atMost(Duration.ofSeconds(60));
    }
}
