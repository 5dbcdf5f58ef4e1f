package io.tracemark.edge.store;

import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ConnectionDescription;
import com.mongodb.connection.ServerId;
import com.mongodb.event.CommandStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreCommandMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StoreCommandMetrics metrics = new StoreCommandMetrics(registry);
    private final ConnectionDescription connection = new ConnectionDescription(new ServerId(new ClusterId(), new ServerAddress()));

    private void send(BsonDocument command) {
        metrics.commandStarted(new CommandStartedEvent(null, 1, 1, connection, "db", command.getFirstKey(), command));
    }

    private static BsonArray docs(int n) {
        BsonArray a = new BsonArray();
        for (int i = 0; i < n; i++) {
            a.add(new BsonDocument("_id", new BsonInt32(i)));
        }
        return a;
    }

    private double commands(String command, String collection) {
        Counter c = registry.find(StoreCommandMetrics.COMMANDS).tag("command", command).tag("collection", collection).counter();
        return c == null ? 0 : c.count();
    }

    private double written(String command, String collection) {
        Counter c = registry.find(StoreCommandMetrics.DOCUMENTS_WRITTEN).tag("command", command).tag("collection", collection).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void countsDocumentsOfEachWriteCommandPerCollection() {
        send(new BsonDocument("insert", new BsonString("records")).append("documents", docs(1000)));
        send(new BsonDocument("insert", new BsonString("records")).append("documents", docs(1)));
        send(new BsonDocument("update", new BsonString("work_chunks")).append("updates", docs(4)));
        send(new BsonDocument("delete", new BsonString("records")).append("deletes", docs(2)));
        send(new BsonDocument("findAndModify", new BsonString("jobs")).append("query", new BsonDocument()));
        assertEquals(2, commands("insert", "records"));
        assertEquals(1001, written("insert", "records"));
        assertEquals(4, written("update", "work_chunks"));
        assertEquals(2, written("delete", "records"));
        assertEquals(1, written("findAndModify", "jobs"));
    }

    @Test
    void readsCountAsCommandsButNeverAsWrites() {
        send(new BsonDocument("find", new BsonString("records")).append("filter", new BsonDocument()));
        send(new BsonDocument("getMore", new BsonInt64(42)).append("collection", new BsonString("records")));
        send(new BsonDocument("createIndexes", new BsonString("records")).append("indexes", docs(3)));
        assertEquals(1, commands("find", "records"));
        assertEquals(1, commands("getMore", "records"));
        assertEquals(1, commands("createIndexes", "records"));
        // A collection seen at all has every write series, at a real zero.
        for (String write : StoreCommandMetrics.WRITE_COMMANDS) {
            assertEquals(0, registry.find(StoreCommandMetrics.DOCUMENTS_WRITTEN).tag("command", write)
                    .tag("collection", "records").counter().count(), write);
        }
        assertNull(registry.find(StoreCommandMetrics.DOCUMENTS_WRITTEN).tag("command", "find").counter());
    }

    @Test
    void adminAndSessionCommandsAreNotCounted() {
        send(new BsonDocument("hello", new BsonInt32(1)));
        send(new BsonDocument("ping", new BsonInt32(1)));
        send(new BsonDocument("endSessions", new BsonArray()));
        send(new BsonDocument("aggregate", new BsonInt32(1)).append("pipeline", new BsonArray()));
        // Security-sensitive commands reach listeners with an empty body.
        metrics.commandStarted(new CommandStartedEvent(null, 1, 1, connection, "admin", "saslStart", new BsonDocument()));
        assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
    }
}
