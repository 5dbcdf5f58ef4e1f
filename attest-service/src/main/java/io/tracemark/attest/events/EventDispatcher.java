package io.tracemark.attest.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.webhooks.DeliveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the event log's outbox: publishes each new event on {@code tracemark.events} (key = event id,
 * tenant in header {@code tracemark-tenant}) and fans it out to the tenant's matching webhook
 * subscriptions, then marks it dispatched. Runs on its own thread so neither Kafka nor webhooks slow
 * down whoever appended the event; a crash before the mark repeats the step, and both sinks are
 * idempotent for a repeated event (same key, same delivery ids).
 */
@ApplicationScoped
public class EventDispatcher {
    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);

    @Inject
    EventStore store;
    @Inject
    DeliveryStore deliveries;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.topics.events")
    String topic;

    private final Semaphore wake = new Semaphore(0);
    private KafkaProducer<String, String> producer;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent e) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "attest-events");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        running = true;
        thread = new Thread(this::loop, "attest-event-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Records events and wakes the dispatcher; returns how many were new. */
    public int append(List<NewEvent> events) {
        int fresh = store.append(events);
        if (fresh > 0) {
            wake.release();
        }
        return fresh;
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(250, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                List<StoredEvent> batch;
                while (running && !(batch = store.undispatched(1000)).isEmpty()) {
                    dispatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("event dispatch failed, retrying: %s", e.toString());
                sleepQuietly();
            }
        }
    }

    private void dispatch(List<StoredEvent> batch) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (StoredEvent e : batch) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, e.id(), e.json());
            r.headers().add("tracemark-tenant", e.tenant().getBytes(StandardCharsets.UTF_8));
            r.headers().add("tracemark-event-type", e.type().getBytes(StandardCharsets.UTF_8));
            acks.add(producer.send(r));
        }
        for (Future<RecordMetadata> f : acks) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                throw new IllegalStateException("event not acknowledged by Kafka: " + ex.getMessage(), ex);
            }
        }
        deliveries.enqueue(batch);
        store.dispatched(batch.stream().map(StoredEvent::id).toList());
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
