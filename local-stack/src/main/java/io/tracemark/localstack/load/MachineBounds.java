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

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The machine's bounds, measured in the same run as the load so the ratios mean something: Kafka
 * producer rate alone, MongoDB-wire insert rate alone, and SHA-256 hashing rate on one core.
 */
final class MachineBounds {
    private MachineBounds() {
    }

    /** Measured bounds, each in operations per second. */
    record Bounds(double kafkaRecordsPerSecond, double mongoDocsPerSecond, double sha256PerSecond) {
    }

    static Bounds measure(String kafka, String mongo) throws Exception {
        return new Bounds(kafkaRate(kafka, 200_000), mongoRate(mongo, 50_000), shaRate(5_000_000));
    }

    /** Producer-only rate of 300-byte records (about a record envelope's size), acks=all. */
    static double kafkaRate(String bootstrap, int n) throws Exception {
        String topic = "tracemark.bench." + UUID.randomUUID().toString().substring(0, 8);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(a)) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            byte[] value = new byte[300];
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(topic, value));
                }
                producer.flush();
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            admin.deleteTopics(List.of(topic)).all().get();
            return rate;
        }
    }

    /** insertMany of 1,000-document batches of record-sized documents with a unique index. */
    static double mongoRate(String connection, int n) {
        try (MongoClient client = MongoClients.create(connection)) {
            MongoCollection<Document> c = client.getDatabase("tracemark_bench").getCollection("bench_" + System.nanoTime());
            c.createIndex(Indexes.ascending("tenant", "idempotencyKey"), new IndexOptions().unique(true));
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += 1000) {
                List<Document> docs = new ArrayList<>(1000);
                for (int i = from; i < Math.min(n, from + 1000); i++) {
                    docs.add(new Document(Map.of("tenant", "bench", "idempotencyKey", "k" + i,
                            "digest", "0".repeat(64), "canonical", "x".repeat(300))));
                }
                c.insertMany(docs, new InsertManyOptions().ordered(false));
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            c.drop();
            return rate;
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
