package io.tracemark.attest.events;

import io.tracemark.attest.kafka.KafkaClients;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pages of one tenant's events read straight from {@code tracemark.events}, the event store. Events are keyed
 * by tenant, so all of a tenant's events sit in order on one partition (Kafka's default partitioner) and the
 * cursor is that position: {@code <partition>-<offset>}, the offset to read next (an event's own cursor points
 * just past it). A page reads forward from the cursor until it has {@code limit} matching events, reaches the
 * end of the committed log, or has scanned its bound of other tenants' events; {@code next} then names how far
 * it got, so paging always moves on and an empty page can be asked again later.
 */
@ApplicationScoped
public class EventPages {
    private static final Logger LOG = Logger.getLogger(EventPages.class);
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,4})-(\\d{1,19})");
    private static final int POOL = 4;

    /** A page: the events (with their cursors) and the cursor to continue from. */
    public record Page(List<Entry> events, String next) {
    }

    /** An event and its cursor. */
    public record Entry(Event event, String cursor) {
    }

    private final String bootstrap;
    private final String topic;
    private final int maxScanned;
    private final BlockingQueue<KafkaConsumer<byte[], byte[]>> pool = new ArrayBlockingQueue<>(POOL);

    public EventPages(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                      @ConfigProperty(name = "tracemark.topics.events") String topic,
                      @ConfigProperty(name = "tracemark.attest.events.max-scanned-per-page", defaultValue = "50000") int maxScanned) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.maxScanned = maxScanned;
    }

    /** Whether {@code cursor} is a cursor this service hands out. */
    public static boolean validCursor(String cursor) {
        return CURSOR.matcher(cursor).matches();
    }

    /** The tenant's events after {@code after} (null: from the start) whose type matches {@code types}. */
    public Page page(String tenant, String after, List<String> types, int limit, Duration timeout) {
        KafkaConsumer<byte[], byte[]> c = borrow();
        try {
            int partition = partitionOf(c, tenant);
            TopicPartition tp = new TopicPartition(topic, partition);
            c.assign(List.of(tp));
            long from;
            if (after == null) {
                from = c.beginningOffsets(List.of(tp), timeout).get(tp);
            } else {
                Matcher m = CURSOR.matcher(after);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a cursor: " + after);
                }
                if (Integer.parseInt(m.group(1)) != partition) {
                    // The cursor belongs to another tenant's partition (or the topic was re-partitioned).
                    throw new IllegalArgumentException("cursor " + after + " is not a position of this tenant's events");
                }
                from = Math.max(Long.parseLong(m.group(2)), c.beginningOffsets(List.of(tp), timeout).get(tp));
            }
            long end = c.endOffsets(List.of(tp), timeout).get(tp);
            c.seek(tp, from);
            List<Entry> out = new ArrayList<>();
            long nextOffset = from;
            int scanned = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            outer:
            while (c.position(tp) < end && System.nanoTime() < deadline && scanned < maxScanned) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    scanned++;
                    nextOffset = r.offset() + 1;
                    if (!tenant.equals(key(r)) || !EventTypes.matchesAny(types, header(r, EventCodec.TYPE_HEADER))) {
                        continue;
                    }
                    try {
                        out.add(new Entry(EventCodec.decode(r.value(), name -> raw(r, name)), partition + "-" + (r.offset() + 1)));
                    } catch (ContractViolation e) {
                        LOG.errorf(e, "event at %s-%d is unreadable, skipped in pages", topic, r.offset());
                    }
                    if (out.size() == limit) {
                        break outer;
                    }
                }
            }
            return new Page(out, partition + "-" + nextOffset);
        } finally {
            c.unsubscribe();
            giveBack(c);
        }
    }

    private int partitionOf(KafkaConsumer<byte[], byte[]> c, String tenant) {
        List<PartitionInfo> parts = c.partitionsFor(topic, Duration.ofSeconds(10));
        // The producer's default partitioner for a keyed record: murmur2 of the key bytes.
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % parts.size();
    }

    private KafkaConsumer<byte[], byte[]> borrow() {
        KafkaConsumer<byte[], byte[]> c = pool.poll();
        return c != null ? c : KafkaClients.consumer(bootstrap, null, "attest-event-pages", 2000);
    }

    private void giveBack(KafkaConsumer<byte[], byte[]> c) {
        if (!pool.offer(c)) {
            c.close(Duration.ofSeconds(1));
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static byte[] raw(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        byte[] v = raw(r, name);
        return v == null ? "" : new String(v, StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        KafkaConsumer<byte[], byte[]> c;
        while ((c = pool.poll()) != null) {
            c.close(Duration.ofSeconds(1));
        }
    }
}
