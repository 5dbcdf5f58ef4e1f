package io.tracemark.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.tracemark.infra.TracemarkTopics;

class SharedInfraTest {

    @Test
    void chainLeavesGetBrokerTimestampsAndRoundTrip() {
        String key = "leaf-" + UUID.randomUUID();
        long before = System.currentTimeMillis();

        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            assertEquals("LogAppendTime", kafka.topicConfig(TracemarkTopics.CHAIN_LEAVES).get("message.timestamp.type"));
            assertEquals("-1", kafka.topicConfig(TracemarkTopics.CHAIN_LEAVES).get("retention.ms"));

            kafka.send(TracemarkTopics.CHAIN_LEAVES, key, "{\"hash\":\"ab12\"}", Map.of("tenant", "acme"));
            List<ConsumerRecord<String, byte[]>> records = kafka.consume(TracemarkTopics.CHAIN_LEAVES, 1,
                    Duration.ofSeconds(20), r -> key.equals(r.key()));

            ConsumerRecord<String, byte[]> record = records.get(0);
            assertEquals("{\"hash\":\"ab12\"}", KafkaTestClient.valueAsString(record));
            assertEquals("acme", KafkaTestClient.header(record, "tenant"));
            assertEquals(TimestampType.LOG_APPEND_TIME, record.timestampType());
            assertTrue(record.timestamp() >= before - 1000, "broker timestamp " + record.timestamp());
        }
    }

    @Test
    void mongoStoresAndReturnsDocuments() {
        try (MongoClient client = MongoClients.create(SharedInfra.mongoConnectionString())) {
            MongoCollection<Document> records = client
                    .getDatabase(TracemarkInfraResource.DATABASE_PREFIX + "shared_infra_test")
                    .getCollection("records");
            records.insertOne(new Document("_id", "rec-1").append("hash", "ab12"));

            Document found = records.find(new Document("_id", "rec-1")).first();
            assertNotNull(found);
            assertEquals("ab12", found.getString("hash"));
        }
    }

    @Test
    void resourceWiresServicesToTheSameInfraWithDistinctDatabases() {
        TracemarkInfraResource resource = new TracemarkInfraResource();
        Map<String, String> first = resource.start();
        Map<String, String> second = resource.start();

        assertSame(SharedInfra.get(), SharedInfra.get());
        assertEquals(SharedInfra.kafkaBootstrap(), first.get("kafka.bootstrap.servers"));
        assertEquals(first.get("kafka.bootstrap.servers"), first.get("tracemark.kafka.bootstrap-servers"));
        assertEquals(SharedInfra.mongoConnectionString(), first.get("quarkus.mongodb.connection-string"));
        assertEquals(first.get("quarkus.mongodb.connection-string"), first.get("tracemark.mongodb.connection-string"));
        assertTrue(first.get("tracemark.mongodb.database").startsWith(TracemarkInfraResource.DATABASE_PREFIX));
        assertNotEquals(first.get("tracemark.mongodb.database"), second.get("tracemark.mongodb.database"));
    }
}
