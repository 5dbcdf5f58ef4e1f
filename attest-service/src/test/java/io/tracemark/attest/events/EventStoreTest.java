package io.tracemark.attest.events;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class EventStoreTest {
    @Inject
    EventStore store;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private static List<NewEvent> events(String tenant, int n) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "rec-" + UUID.randomUUID();
            out.add(new NewEvent("record.accepted:" + id, tenant, "record.accepted", Instant.now(),
                    "{\"recordId\":\"" + id + "\"}", null, null));
        }
        return out;
    }

    @Test
    void eventsAreNotDroppedWhenTheSequenceCounterFellBehindTheLog() {
        String tenant = "seq-" + UUID.randomUUID().toString().substring(0, 8);
        List<StoredEvent> before = store.append(events(tenant, 5));
        assertEquals(5, before.size());
        // As after a restart of the database that lost its last counter writes but kept the events.
        long lastSeq = before.get(4).seq();
        mongo.getDatabase(database).getCollection("counters")
                .updateOne(Filters.eq("_id", "events"), Updates.set("seq", lastSeq - 3));

        List<NewEvent> next = events(tenant, 6);
        List<StoredEvent> appended = store.append(next);

        assertEquals(6, appended.size(), "every new event is recorded");
        Set<Long> seqs = new HashSet<>();
        before.forEach(e -> seqs.add(e.seq()));
        for (StoredEvent e : appended) {
            assertTrue(seqs.add(e.seq()), "sequence number " + e.seq() + " used twice");
            assertTrue(e.seq() > lastSeq, "cursor " + e.seq() + " not after the events already in the log");
        }
        List<StoredEvent> page = store.page(tenant, 0, List.of("record.*"), 100);
        assertEquals(11, page.size());
    }

    @Test
    void aRedeliveredEventIsRecordedOnce() {
        String tenant = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        List<NewEvent> batch = events(tenant, 3);
        assertEquals(3, store.append(batch).size());
        assertEquals(0, store.append(batch).size());
        assertEquals(3, store.page(tenant, 0, List.of("record.accepted"), 100).size());
    }
}
