package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

class InfraProcessTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesGracefulStopAndSigkill() throws Exception {
        try (InfraProcess infra = InfraProcess.builder().dataDir(dir).start();
                MongoClient client = MongoClients.create(infra.mongoConnectionString())) {
            System.out.println("InfraProcess cold start: " + infra.startupMillis() + " ms");
            docs(client).insertOne(new Document("_id", "doc-1"));
            KafkaProbe.send(infra.kafkaBootstrap(), TracemarkTopics.CHAIN_LEAVES, "l1", "leaf-1");
        }

        InfraProcess restarted = InfraProcess.builder().dataDir(dir).start();
        try (MongoClient client = MongoClients.create(restarted.mongoConnectionString())) {
            assertNotNull(docs(client).find(new Document("_id", "doc-1")).first());
            assertEquals(1, KafkaProbe.readAll(restarted.kafkaBootstrap(), TracemarkTopics.CHAIN_LEAVES, 1).size());
            docs(client).insertOne(new Document("_id", "doc-2"));
        }
        restarted.kill();
        assertFalse(restarted.isAlive());

        // No chance to flush: Kafka must recover its log and Mongo must keep the acknowledged write.
        try (InfraProcess afterCrash = InfraProcess.builder().dataDir(dir).start();
                MongoClient client = MongoClients.create(afterCrash.mongoConnectionString())) {
            System.out.println("InfraProcess start after SIGKILL: " + afterCrash.startupMillis() + " ms");
            assertNotNull(docs(client).find(new Document("_id", "doc-2")).first(), "acknowledged write lost on kill");
            assertEquals(1, KafkaProbe.readAll(afterCrash.kafkaBootstrap(), TracemarkTopics.CHAIN_LEAVES, 1).size());
        }
        assertTrue(Files.readString(dir.resolve("infra.log")).contains(InfraMain.READY_PREFIX));
    }

    @Test
    void reportsATakenPortWithTheChildsOwnMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> InfraProcess.builder().dataDir(dir).kafkaPort(taken.getLocalPort()).start());

            assertTrue(e.getMessage().contains("exited with code " + InfraMain.EXIT_PORT_IN_USE), e.getMessage());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " (kafka) is already in use"),
                    e.getMessage());
        }
    }

    private static MongoCollection<Document> docs(MongoClient client) {
        return client.getDatabase("tm").getCollection("docs");
    }
}
