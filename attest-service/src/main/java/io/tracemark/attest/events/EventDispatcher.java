package io.tracemark.attest.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.anchoring.GiveWay;
import io.tracemark.attest.anchoring.LeafBatcher;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.TimeUnit;

/**
 * Drains the event log's outbox, fed in memory by {@link #append} (a bounded queue; the {@code dispatched}
 * flag in MongoDB is read back only at start-up and after an overflow or a failed append): publishes each new event on {@code tracemark.events} (key = event id,
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
    @Inject
    LeafBatcher batcher;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.topics.events")
    String topic;

    private static final int BATCH = 1000;
    private static final int APPEND_CHUNK = 250;
    private final ReentrantLock appendLock = new ReentrantLock(true);
    private final LinkedBlockingQueue<StoredEvent> queue = new LinkedBlockingQueue<>(200_000);
    /** Set when the outbox may hold events the queue does not (start-up, overflow, failed append). */
    private volatile boolean rescan = true;
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

    /**
     * Records events and hands the new ones to the dispatcher; returns how many were new. Large lists are
     * written in chunks under a fair lock, so a round of receipts cannot hold up the anchor-requests consumer.
     */
    public int append(List<NewEvent> events) {
        int fresh = 0;
        for (int i = 0; i < events.size(); i += APPEND_CHUNK) {
            fresh += appendChunk(events.subList(i, Math.min(events.size(), i + APPEND_CHUNK)));
        }
        return fresh;
    }

    private int appendChunk(List<NewEvent> events) {
        // One lock around the write and the hand-over keeps the in-memory queue in cursor order.
        appendLock.lock();
        try {
            List<StoredEvent> fresh;
            try {
                fresh = store.append(events);
            } catch (RuntimeException e) {
                // Some may have been written before the failure; the outbox scan finds them.
                rescan = true;
                throw e;
            }
            for (StoredEvent ev : fresh) {
                if (!queue.offer(ev)) {
                    rescan = true;
                }
            }
            return fresh.size();
        } finally {
            appendLock.unlock();
        }
    }

    private void loop() {
        List<StoredEvent> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                if (batch.isEmpty()) {
                    if (queue.isEmpty() && rescan) {
                        rescan = false;
                        recover();
                    }
                    StoredEvent first = queue.poll(250, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    GiveWay.toAnchoring(batcher);
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                dispatch(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("event dispatch failed, retrying: %s", e.toString());
                sleepQuietly();
            }
        }
    }

    /** Dispatches what the outbox still holds: whatever a crash, an overflow or a failed append left behind. */
    private void recover() throws InterruptedException {
        List<StoredEvent> left;
        while (running && !(left = store.undispatched(BATCH)).isEmpty()) {
            dispatch(left);
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
