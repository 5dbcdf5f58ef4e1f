package io.tracemark.attest;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the tests do in place of ingest and what they read back: anchor requests in the contract's form
 * (optionally on one partition, so their order is known), records and lookup entries stored the way ingest
 * stores them, and the topics attest writes (leaves, events, dead letters) read to their committed end.
 */
public final class Pipeline {
    public static final String ANCHOR_REQUESTS = "tracemark.anchor-requests";
    public static final String ANCHOR_REQUESTS_DLQ = "tracemark.anchor-requests.dlq";
    public static final String EVENTS = "tracemark.events";
    public static final String RECORDS_DLQ = "tracemark.records.dlq";
    private static final HexFormat HEX = HexFormat.of();

    private Pipeline() {
    }

    /** Hex SHA-256 of a UTF-8 string. */
    public static String sha256(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A unique record id shaped like ingest's (ULID-like, upper case). */
    public static String newRecordId() {
        return "01REC" + UUID.randomUUID().toString().replace("-", "").substring(0, 21).toUpperCase();
    }

    /** A unique tenant id (the edge's tenant pattern) with a readable prefix. */
    public static String newTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A product batch's anchor request with a digest of its own and no stored record behind it. */
    public static AnchorRequest request(String tenant) {
        String id = newRecordId();
        return new AnchorRequest(id, tenant, "product.batch", sha256(id), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                List.of(), null);
    }

    /** The message value ingest publishes for {@code r}. */
    public static byte[] encode(AnchorRequest r) {
        return AnchorRequestCodec.encode(r);
    }

    /** One message to send: its key, value, and partition (null: the key decides). */
    public record Message(String topic, Integer partition, String key, byte[] value, Map<String, byte[]> headers) {
        public static Message anchor(AnchorRequest r) {
            return new Message(ANCHOR_REQUESTS, null, r.recordId(), encode(r), Map.of());
        }

        public static Message anchor(int partition, AnchorRequest r) {
            return new Message(ANCHOR_REQUESTS, partition, r.recordId(), encode(r), Map.of());
        }

        public static Message raw(String topic, Integer partition, String key, byte[] value) {
            return new Message(topic, partition, key, value, Map.of());
        }
    }

    /** Sends the messages in order through one producer and waits until the broker acknowledged all of them. */
    public static List<RecordMetadata> send(List<Message> messages) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Message m : messages) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(m.topic(), m.partition(),
                        m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8), m.value());
                m.headers().forEach((k, v) -> r.headers().add(k, v));
                acks.add(producer.send(r));
            }
            producer.flush();
            List<RecordMetadata> out = new ArrayList<>();
            for (Future<RecordMetadata> f : acks) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("sending failed: " + e, e);
        }
    }

    /** Sends anchor requests, each keyed by its record id. */
    public static void anchor(Collection<AnchorRequest> requests) {
        send(requests.stream().map(Message::anchor).toList());
    }

    /** Every committed record of {@code topic}, all partitions, read from the start to the end offsets of now. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "attest-test-reader");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 2 minutes");
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    /** How many partitions {@code topic} has. */
    public static int partitionCount(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafkaBootstrap());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return c.partitionsFor(topic, Duration.ofSeconds(10)).size();
        }
    }

    /** The last value of a header as UTF-8, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** An event as the topic holds it: decoded, with its message key and Kafka timestamp. */
    public record LoggedEvent(Event event, String key, int partition, long offset, long kafkaTimestamp) {
    }

    /** The committed events of {@code tracemark.events} that match {@code filter}, in log order per partition. */
    public static List<LoggedEvent> events(Predicate<Event> filter) {
        return events(r -> true, filter);
    }

    /** The committed events of one tenant and type (filtered on key and type header before decoding). */
    public static List<LoggedEvent> eventsOf(String tenant, String type) {
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        return events(r -> java.util.Arrays.equals(key, r.key()) && type.equals(header(r, EventCodec.TYPE_HEADER)), e -> true);
    }

    private static List<LoggedEvent> events(Predicate<ConsumerRecord<byte[], byte[]>> raw, Predicate<Event> filter) {
        List<LoggedEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(EVENTS)) {
            if (!raw.test(r)) {
                continue;
            }
            Event e = EventCodec.decode(r.value(), name -> {
                Header h = r.headers().lastHeader(name);
                return h == null ? null : h.value();
            });
            if (filter.test(e)) {
                out.add(new LoggedEvent(e, r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.partition(),
                        r.offset(), r.timestamp()));
            }
        }
        return out;
    }

    /** The committed events of one type about the given records, in log order. */
    public static List<LoggedEvent> events(String type, Collection<String> recordIds) {
        return events(e -> e.type().equals(type) && recordIds.contains(e.data().path("recordId").asText()));
    }

    /** The {@code record.anchored} events of the given records, by record id (the last one if repeated). */
    public static Map<String, Event> anchored(Collection<String> recordIds) {
        Map<String, Event> out = new HashMap<>();
        events(EventTypes.RECORD_ANCHORED, recordIds).forEach(e -> out.put(e.event().data().path("recordId").asText(), e.event()));
        return out;
    }

    /** How many times each digest (hex) was published as a leaf on {@code tracemark.chain.leaves}. */
    public static Map<String, Integer> leafOccurrences() {
        Map<String, Integer> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(ChainFixture.LEAVES_TOPIC)) {
            if (r.value() == null || LeafBatchCodec.type(r.value()) != LeafBatchCodec.LEAVES) {
                continue;
            }
            for (byte[] d : LeafBatchCodec.decodeLeaves(r.value())) {
                out.merge(HEX.formatHex(d), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The partition of {@code tracemark.events} a tenant's events go to (the producer's default partitioner). */
    public static int eventsPartitionOf(String tenant, int partitions) {
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Stores a record the way ingest does (canonical envelope, salt, digest of the canonical bytes, index
     * fields under {@code keys}) and returns the anchor request ingest would publish for it.
     */
    public static AnchorRequest storeRecord(MongoDatabase db, String tenant, String type, Instant receivedAt, Document keys,
                                            List<String> gtins, AnchorRequest.Work work) {
        AnchorRequest r = sealedRecord(tenant, type, receivedAt, keys, gtins, work);
        db.getCollection("records").insertOne(new Document("_id", r.recordId()).append("tenant", tenant).append("type", type)
                .append("idempotencyKey", "idem-" + r.recordId()).append("naturalKey", null)
                .append("requestHash", sha256("req" + r.recordId())).append("receivedAt", Date.from(r.acceptedAt()))
                .append("salt", r.content().salt()).append("canonical", r.content().canonical())
                .append("digest", r.digest()).append("status", "accepted").append("keys", keys));
        return new AnchorRequest(r.recordId(), tenant, type, r.digest(), r.acceptedAt(), gtins, work);
    }

    /**
     * A record sealed the way ingest does (canonical envelope with a salt, digest of the canonical bytes) but not
     * stored: the anchor request carries its content, as ingest's does.
     */
    public static AnchorRequest sealedRecord(String tenant, String type, Instant receivedAt, Document keys,
                                             List<String> gtins, AnchorRequest.Work work) {
        String id = newRecordId();
        String salt = UUID.randomUUID().toString();
        Instant at = receivedAt.truncatedTo(ChronoUnit.MILLIS);
        String envelope = "{\"v\":1,\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"type\":\"" + type
                + "\",\"receivedAt\":\"" + at + "\",\"salt\":\"" + salt + "\",\"payload\":" + keys.toJson() + "}";
        String canonical = new String(CanonicalJson.canonicalize(envelope), StandardCharsets.UTF_8);
        return new AnchorRequest(id, tenant, type, sha256(canonical), at, gtins, work)
                .withContent(new AnchorRequest.Content(salt, canonical));
    }

    /** A stored product batch with one GTIN. */
    public static AnchorRequest storeProductBatch(MongoDatabase db, String tenant, String gtin) {
        return storeRecord(db, tenant, "product.batch", Instant.now(), new Document("gtin", gtin).append("lot", "L1"),
                List.of(gtin), null);
    }

    /**
     * A stored media work, with the lookup entries ingest writes for it: {@code digests} {_id: sha256, ids}
     * and one {@code work_chunks} {_id: i << 16 | chunk_i, ids} per pHash chunk.
     */
    public static AnchorRequest storeWork(MongoDatabase db, String tenant, Instant receivedAt, String sha, long phash) {
        String phashHex = PerceptualHash.hex(phash);
        List<Integer> tagged = new ArrayList<>();
        int[] c = PerceptualHash.chunks(phash);
        for (int i = 0; i < c.length; i++) {
            tagged.add(i << 16 | c[i]);
        }
        AnchorRequest r = storeRecord(db, tenant, "media.work", receivedAt,
                new Document("sha256", sha).append("phash", phashHex).append("phashChunks", tagged), List.of(),
                new AnchorRequest.Work(sha, phashHex));
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        db.getCollection("digests").updateOne(Filters.eq("_id", sha), Updates.addToSet("ids", r.recordId()), upsert);
        for (int chunk : tagged) {
            db.getCollection("work_chunks").updateOne(Filters.eq("_id", chunk), Updates.addToSet("ids", r.recordId()), upsert);
        }
        return r;
    }
}
