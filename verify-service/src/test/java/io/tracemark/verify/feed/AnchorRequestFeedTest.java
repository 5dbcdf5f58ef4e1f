package io.tracemark.verify.feed;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.claims.WorkIndexFeed;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import io.tracemark.verify.resolver.BatchIndexFeed;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One consumer of ingest's anchor requests keeps both indexes current, reading and decoding each request once. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class AnchorRequestFeedTest {
    @Inject
    MongoClient mongo;
    @Inject
    MeterRegistry meters;
    @Inject
    AnchorRequestFeed feed;
    @Inject
    WorkIndexFeed works;
    @Inject
    BatchIndexFeed batches;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private final Random rnd = new Random();

    @Test
    void oneConsumerReadsTheAnchorRequestsForBothIndexes() throws Exception {
        // Every Kafka consumer registers its metrics under its client id; verify's plain ones are named verify-*.
        Set<ObjectName> consumers = ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.consumer:type=consumer-metrics,client-id=verify-*"), null);
        assertEquals(1, consumers.size(), consumers.toString());
        assertEquals(Set.of(works, batches), Set.copyOf(feed.indexes()));
    }

    @Test
    void eachRequestIsDecodedOnceAndReachesTheIndexThatWantsIt() {
        double before = meters.counter("tracemark.verify.feed.requests").count();
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        long phash = rnd.nextLong();
        String sha = String.format("%016x%016x%016x%016x", rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        // Each register publishes the record's anchor request and waits until the index it belongs in lists it.
        Registry.Stored work = registry.register("alice", "media.work", Map.of("title", "fed once"),
                new Document("sha256", sha).append("phash", PerceptualHash.hex(phash))
                        .append("phashChunks", Registry.phashChunks(phash)), Instant.now());
        String lot = "FEED-" + rnd.nextInt(1_000_000);
        Registry.Stored batch = registry.register("acme", "product.batch", Map.of("gtin", "4006381333931", "lot", lot),
                new Document("gtin", "4006381333931").append("lot", lot), Instant.now());

        assertEquals(2.0, meters.counter("tracemark.verify.feed.requests").count() - before);
        assertTrue(works.index().bySha256(sha).contains(work.id()));
        assertEquals(List.of(batch.id()), batches.index().batches("4006381333931", lot));
    }
}
