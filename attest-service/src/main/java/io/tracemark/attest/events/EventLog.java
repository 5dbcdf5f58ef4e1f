package io.tracemark.attest.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.kafka.EventRecords;
import io.tracemark.attest.kafka.KafkaClients;
import io.tracemark.contracts.events.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends events raised outside a consume-produce transaction (rejections, endpoint disabled) to
 * {@code tracemark.events} with an idempotent producer, waiting for the broker's acknowledgement. A retry
 * after a failure may append an event twice; it keeps its deterministic id, so consumers see a repeat, not
 * a new event.
 */
@ApplicationScoped
public class EventLog {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.topics.events")
    String topic;
    private KafkaProducer<byte[], byte[]> producer;

    void start(@Observes StartupEvent e) {
        producer = KafkaClients.idempotent(bootstrap, "events");
    }

    void stop(@Observes ShutdownEvent e) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Appends events and waits until Kafka has them all; throws if it does not acknowledge within 30 s. */
    public void append(List<Event> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (Event e : events) {
            acks.add(producer.send(EventRecords.of(topic, e)));
        }
        for (Future<RecordMetadata> f : acks) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while appending events", ie);
            } catch (ExecutionException | TimeoutException ex) {
                throw new IllegalStateException("event not acknowledged by Kafka: " + ex.getMessage(), ex);
            }
        }
    }
}
