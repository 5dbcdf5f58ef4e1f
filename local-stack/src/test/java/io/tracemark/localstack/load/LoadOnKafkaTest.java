package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.infra.EmbeddedKafka;
import io.tracemark.infra.TracemarkTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's Kafka paths against a real broker: the event watch and the sender's two lanes. */
class LoadOnKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0);
        kafka.createTopics(TracemarkTopics.defaults());
        // One idempotent, acks=all write to every partition of the records topic before any test: the broker hands
        // out its first producer ids and partition leaders settle outside the measured runs. Twice a batch of
        // the first test's Kafka lane was acknowledged only at the sender's 300 s delivery timeout on a broker
        // just started (then resent and accepted), which the lane-timing check reads as a held-up lane.
        Properties p = producerProps();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> warm = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (var info : warm.partitionsFor("tracemark.records")) {
                warm.send(new ProducerRecord<>("tracemark.records", info.partition(), null, new byte[0])).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not take a first write within 60 s", e);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    private static ProducerRecord<byte[], byte[]> message(Event e) {
        // Stamped with the event's own time, so that accept → anchored is the events' difference.
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(AnchorWatch.TOPIC, null, e.timestamp().toEpochMilli(),
                EventCodec.key(e).getBytes(StandardCharsets.UTF_8), EventCodec.value(e));
        EventCodec.headers(e).forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    private static Event event(String type, String tenant, String record, Instant at) {
        ObjectNode d = JSON.createObjectNode().put("recordId", record).put("digest", "d" + record);
        if (type.equals(EventTypes.RECORD_ACCEPTED)) {
            d.put("acceptedAt", at.toString());
        } else {
            d.put("leafIndex", 3).put("anchoredAt", at.toString()).put("signatures", 2).put("expectedSignatures", 2);
        }
        return new Event(Event.idOf(type, record), type, at, tenant, List.of(), null, d);
    }

    @Test
    void theWatchSeesOnlyCommittedEventsOfItsTenantFromTheStartOfTheRun() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            plain.send(message(event(EventTypes.RECORD_ANCHORED, "run", "before-the-run", t0))).get();
        }
        Properties tx = producerProps();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "load-test-events");
        try (AnchorWatch watch = AnchorWatch.start(kafka.bootstrapServers(), "run");
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(message(event(EventTypes.RECORD_ACCEPTED, "run", "aborted", t0)));
            p.abortTransaction();
            p.beginTransaction();
            p.send(message(event(EventTypes.RECORD_ACCEPTED, "run", "R1", t0)));
            p.send(message(event(EventTypes.RECORD_ACCEPTED, "other", "O1", t0)));
            p.send(message(event(EventTypes.RECORD_ANCHORED, "run", "R1", t0.plusMillis(750))));
            p.send(message(event(EventTypes.RECORD_ANCHORED, "run", "R1", t0.plusMillis(750))));
            p.commitTransaction();
            RunEvents.Result r = watch.awaitAnchored(1, Duration.ofSeconds(30), new PrintStream(new ByteArrayOutputStream()));
            Thread.sleep(500);
            r = watch.events().result();
            assertEquals(Map.of("R1", 3L), Map.of("R1", r.anchoredRecords().get("R1").leafIndex()));
            assertEquals(1, r.distinctRecords(), "neither the event before the run, the aborted one nor another tenant's");
            assertEquals(1, r.redeliveredEvents());
            assertEquals(List.of(750L), r.latenciesMs());
        }
    }

    @Test
    void slowHttpAnswersDoNotHoldUpTheKafkaLane() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer ingest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ingest.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        ingest.createContext("/v1/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The first attempt of every request fails as a restarting service would; the retry is accepted.
            int n = posts.incrementAndGet();
            ex.sendResponseHeaders(n % 2 == 1 ? 503 : 201, -1);
            ex.close();
        });
        ingest.start();
        try {
            LoadOptions o = LoadOptions.fromArgs(new String[]{"--records", "1000", "--http-share", "0.05", "--http-threads", "1"});
            LoadSender.Sent sent = new LoadSender(kafka.bootstrapServers(), "http://127.0.0.1:" + ingest.getAddress().getPort(),
                    "lanes", "tmk_x", o).sendAll(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(1000, sent.viaKafka() + sent.viaHttp());
            assertTrue(sent.viaHttp() > 20, "some records over HTTP: " + sent.viaHttp());
            assertEquals(0, sent.gaveUp(), sent.httpFailures().toString());
            assertEquals(sent.viaHttp() * 2, posts.get(), "each HTTP record retried once after its 503");
            assertTrue(sent.httpTook().toMillis() >= sent.viaHttp() * 200L, "one thread, 2 × 100 ms per record: " + sent.httpTook());
            assertTrue(sent.kafkaTook().compareTo(sent.httpTook().dividedBy(2)) < 0,
                    "Kafka lane " + sent.kafkaTook() + " vs HTTP lane " + sent.httpTook());
            assertEquals(sent.viaHttp(), sent.httpLatenciesMs().size());
            assertEquals(sent.viaKafka(), recordsOnTopic("lanes"));
        } finally {
            ingest.stop(0);
        }
    }

    private static long recordsOnTopic(String tenant) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("tracemark.records").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofSeconds(1))) {
                    var h = r.headers().lastHeader("tracemark-tenant");
                    if (h != null && new String(h.value(), StandardCharsets.UTF_8).equals(tenant)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
