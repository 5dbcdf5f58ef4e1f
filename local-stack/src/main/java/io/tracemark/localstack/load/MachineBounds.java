package io.tracemark.localstack.load;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.configuration.CodecRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The machine's bounds, measured in the same run as the load so the ratios mean something: the Kafka
 * producer alone sending the run's own record envelopes, {@code insertMany} alone of documents shaped
 * and sized like the run's records into a collection with the records collection's unique indexes,
 * and SHA-256 hashing on one core.
 */
final class MachineBounds {
    private static final int SAMPLES = 1000;

    private MachineBounds() {
    }

    /**
     * Measured bounds, each in operations per second, and the mean sizes the first two were measured with.
     */
    record Bounds(double kafkaRecordsPerSecond, int meanEnvelopeBytes, double mongoDocsPerSecond, int meanDocumentBytes,
                  double sha256PerSecond) {
    }

    static Bounds measure(String kafka, String mongo, LoadOptions load) throws Exception {
        List<byte[]> envelopes = new ArrayList<>();
        List<Document> records = new ArrayList<>();
        RecordFactory factory = new RecordFactory(load, 7);
        for (int i = 0; i < SAMPLES; i++) {
            RecordFactory.Generated g = factory.next(i);
            envelopes.add(("{\"type\":\"" + g.type() + "\",\"idempotencyKey\":\"bench-" + i + "\",\"payload\":"
                    + g.payloadJson() + "}").getBytes(StandardCharsets.UTF_8));
            records.add(recordLike(g));
        }
        int envelopeBytes = (int) envelopes.stream().mapToInt(b -> b.length).average().orElse(0);
        CodecRegistry codecs = com.mongodb.MongoClientSettings.getDefaultCodecRegistry();
        int docBytes = (int) records.stream()
                .mapToInt(d -> new RawBsonDocument(d, codecs.get(Document.class)).getByteBuffer().remaining()).average().orElse(0);
        return new Bounds(kafkaRate(kafka, 200_000, envelopes), envelopeBytes, mongoRate(mongo, 50_000, records), docBytes,
                shaRate(5_000_000));
    }

    /** Producer-only rate of the run's envelopes, configured as the load's producer (acks=all, idempotent). */
    static double kafkaRate(String bootstrap, int n, List<byte[]> values) throws Exception {
        String topic = "tracemark.bench." + UUID.randomUUID().toString().substring(0, 8);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(a)) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(topic, values.get(i % values.size())));
                }
                producer.flush();
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            admin.deleteTopics(List.of(topic)).all().get();
            return rate;
        }
    }

    /**
     * insertMany (unordered, 1,000 a batch) of copies of the sample records, each with fresh identifiers,
     * into a collection with the records collection's unique indexes: (tenant, idempotencyKey),
     * (tenant, naturalKey) and digest.
     */
    static double mongoRate(String connection, int n, List<Document> samples) {
        try (MongoClient client = MongoClients.create(connection)) {
            MongoCollection<Document> c = client.getDatabase("tracemark_bench").getCollection("bench_" + System.nanoTime());
            c.createIndex(Indexes.ascending("tenant", "idempotencyKey"), new IndexOptions().unique(true));
            c.createIndex(Indexes.ascending("tenant", "naturalKey"), new IndexOptions().unique(true));
            c.createIndex(Indexes.ascending("digest"), new IndexOptions().unique(true));
            HexFormat hex = HexFormat.of();
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += 1000) {
                List<Document> docs = new ArrayList<>(1000);
                for (int i = from; i < Math.min(n, from + 1000); i++) {
                    Document d = new Document(samples.get(i % samples.size()));
                    d.put("_id", String.format("01BENCH%019d", i));
                    d.put("idempotencyKey", "bench-" + i);
                    d.put("naturalKey", "bench:" + i);
                    d.put("digest", hex.formatHex(sha256(("bench-" + i).getBytes(StandardCharsets.UTF_8))));
                    docs.add(d);
                }
                c.insertMany(docs, new InsertManyOptions().ordered(false));
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            c.drop();
            return rate;
        }
    }

    /** A document with the fields and about the size of ingest's stored record (see RecordStore in ingest-service). */
    private static Document recordLike(RecordFactory.Generated g) {
        String envelope = "{\"id\":\"01JBENCH000000000000000000\",\"payload\":" + g.payloadJson()
                + ",\"receivedAt\":\"2026-11-25T17:43:41.123Z\",\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"tenant\":\"load-bench\","
                + "\"type\":\"" + g.type() + "\",\"v\":1}";
        // Placeholders as long as the identifiers mongoRate sets per copy, so the measured size is the inserted size.
        return new Document("_id", String.format("01BENCH%019d", 0)).append("tenant", "load-bench").append("type", g.type())
                .append("idempotencyKey", "bench-00000").append("naturalKey", "bench:00000").append("digest", "0".repeat(64))
                .append("requestHash", "0".repeat(64)).append("receivedAt", new Date())
                .append("salt", "AAAAAAAAAAAAAAAAAAAAAA").append("canonical", envelope).append("status", "accepted")
                .append("keys", new Document("kind", g.type()));
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of 300-byte inputs on one core. */
    static double shaRate(int n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] in = new byte[300];
        byte[] out = new byte[32];
        for (int i = 0; i < 200_000; i++) {
            md.update(in);
            md.digest(out, 0, 32);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            in[0] = (byte) i;
            md.update(in);
            md.digest(out, 0, 32);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
