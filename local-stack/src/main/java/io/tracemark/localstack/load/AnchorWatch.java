package io.tracemark.localstack.load;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Watches a load run's records through the stores: how many were stored and anchored, the
 * accept-to-anchored latencies, and whether any digest was appended to the log more than once.
 */
final class AnchorWatch {
    private final String connection;
    private final String database;
    private final String tenant;

    AnchorWatch(String connection, String database, String tenant) {
        this.connection = connection;
        this.database = database;
        this.tenant = tenant;
    }

    /** Stored and anchored counts, latencies (ms, sorted) and each anchored record's digest. */
    record Result(long stored, long anchored, long storedDuplicates, List<Long> latenciesMs,
                  Instant lastAnchoredAt, Map<String, String> digests) {
    }

    Result awaitAll(int expected, Duration timeout, PrintStream out) throws InterruptedException {
        try (MongoClient client = MongoClients.create(connection)) {
            MongoCollection<Document> records = client.getDatabase(database).getCollection("records");
            MongoCollection<Document> anchors = client.getDatabase(database).getCollection("anchors");
            long deadline = System.nanoTime() + timeout.toNanos();
            long stored = 0;
            long anchored = 0;
            long lastPrint = 0;
            while (System.nanoTime() < deadline) {
                try {
                    stored = records.countDocuments(Filters.eq("tenant", tenant));
                    anchored = anchors.countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("state", "anchored")));
                } catch (com.mongodb.MongoException e) {
                    // The store is being restarted by a fault test: keep waiting.
                    Thread.sleep(500);
                    continue;
                }
                if (anchored >= expected) {
                    break;
                }
                if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                    out.printf("  stored %,d / anchored %,d of %,d%n", stored, anchored, expected);
                    lastPrint = System.nanoTime();
                }
                Thread.sleep(250);
            }
            List<Long> latencies = new ArrayList<>();
            Map<String, String> digests = new HashMap<>();
            Instant last = null;
            for (Document a : anchors.find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("state", "anchored")))) {
                Instant accepted = a.getDate("acceptedAt").toInstant();
                Instant at = a.getDate("anchoredAt").toInstant();
                latencies.add(Duration.between(accepted, at).toMillis());
                digests.put(a.getString("_id"), a.getString("digest"));
                if (last == null || at.isAfter(last)) {
                    last = at;
                }
            }
            Collections.sort(latencies);
            long storedKeys = records.distinct("idempotencyKey", Filters.eq("tenant", tenant), String.class)
                    .into(new ArrayList<>()).size();
            return new Result(stored, anchored, stored - storedKeys, latencies, last, digests);
        }
    }

    /** Reads the whole leaves topic and counts leaves of this run's digests beyond the first. */
    long duplicateLeaves(String bootstrap, String topic) {
        Map<String, Integer> seen = new HashMap<>();
        try (MongoClient client = MongoClients.create(connection)) {
            client.getDatabase(database).getCollection("records").find(Filters.eq("tenant", tenant))
                    .projection(new Document("digest", 1)).forEach(d -> seen.put(d.getString("digest"), 0));
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long duplicates = 0;
        HexFormat hex = HexFormat.of();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    if (r.value() == null || r.value().length == 0 || r.value()[0] != LeafBatchCodec.LEAVES) {
                        continue;
                    }
                    for (byte[] d : LeafBatchCodec.decodeLeaves(r.value())) {
                        String h = hex.formatHex(d);
                        Integer n = seen.get(h);
                        if (n != null) {
                            if (n >= 1) {
                                duplicates++;
                            }
                            seen.put(h, n + 1);
                        }
                    }
                }
            }
        }
        return duplicates;
    }
}
