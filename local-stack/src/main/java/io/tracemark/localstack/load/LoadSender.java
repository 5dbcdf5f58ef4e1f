package io.tracemark.localstack.load;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes the load: most records as Kafka envelopes, a share as HTTP requests, every one with a
 * unique idempotency key so that a resend after a failure (broker or service restarted) can never
 * create a second record.
 */
final class LoadSender {
    private final String bootstrap;
    private final String ingestUrl;
    private final String tenant;
    private final String apiKey;
    private final LoadOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LoadSender(String bootstrap, String ingestUrl, String tenant, String apiKey, LoadOptions options) {
        this.bootstrap = bootstrap;
        this.ingestUrl = ingestUrl;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.options = options;
    }

    /** What was sent, and how long sending took. */
    record Sent(int count, int viaKafka, int viaHttp, Duration took, int gaveUp) {
    }

    Sent sendAll(PrintStream out) throws InterruptedException {
        RecordFactory factory = new RecordFactory(options, 42);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        Queue<Integer> kafkaRetry = new ConcurrentLinkedQueue<>();
        Semaphore httpSlots = new Semaphore(32);
        AtomicInteger viaKafka = new AtomicInteger();
        AtomicInteger viaHttp = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < options.records(); i++) {
                if (options.ratePerSecond() > 0) {
                    long due = t0 + (long) (i * 1e9 / options.ratePerSecond());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                RecordFactory.Generated g = factory.next(i);
                String key = tenant + "-" + i;
                if (Math.floorMod(key.hashCode(), 1000) < options.httpShare() * 1000) {
                    httpSlots.acquire();
                    viaHttp.incrementAndGet();
                    postWithRetry(g, key, Duration.ofMinutes(5)).whenComplete((ok, e) -> {
                        httpSlots.release();
                        if (e != null || !ok) {
                            gaveUp.incrementAndGet();
                        }
                    });
                } else {
                    viaKafka.incrementAndGet();
                    int index = i;
                    producer.send(envelope(g, key), (m, e) -> {
                        if (e != null) {
                            kafkaRetry.add(index);
                        }
                    });
                }
                if (i > 0 && i % 10_000 == 0) {
                    out.printf("  sent %,d records%n", i);
                }
            }
            producer.flush();
            for (int round = 0; round < 10 && !kafkaRetry.isEmpty(); round++) {
                List<Integer> again = List.copyOf(kafkaRetry);
                kafkaRetry.clear();
                out.printf("  resending %d records whose Kafka send failed%n", again.size());
                for (int i : again) {
                    int index = i;
                    producer.send(envelope(factory.next(i), tenant + "-" + i), (m, e) -> {
                        if (e != null) {
                            kafkaRetry.add(index);
                        }
                    });
                }
                producer.flush();
            }
            gaveUp.addAndGet(kafkaRetry.size());
        }
        httpSlots.acquire(32);
        httpSlots.release(32);
        return new Sent(options.records(), viaKafka.get(), viaHttp.get(), Duration.ofNanos(System.nanoTime() - t0), gaveUp.get());
    }

    private ProducerRecord<String, String> envelope(RecordFactory.Generated g, String key) {
        ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", key,
                "{\"type\":\"" + g.type() + "\",\"idempotencyKey\":\"" + key + "\",\"payload\":" + g.payloadJson() + "}");
        r.headers().add("tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** POSTs to the type's intake endpoint, retrying on failure with the same Idempotency-Key. */
    private CompletableFuture<Boolean> postWithRetry(RecordFactory.Generated g, String key, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        return attempt(g, key, deadline, 100);
    }

    private CompletableFuture<Boolean> attempt(RecordFactory.Generated g, String key, long deadline, long backoff) {
        String path = switch (g.type()) {
            case "product.batch" -> "/v1/products/batches";
            case "epcis.event" -> "/v1/events";
            default -> "/v1/works";
        };
        HttpRequest req = HttpRequest.newBuilder(URI.create(ingestUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(g.payloadJson())).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e == null && r.statusCode() / 100 == 2)
                .thenCompose(ok -> {
                    if (ok) {
                        return CompletableFuture.completedFuture(true);
                    }
                    if (System.nanoTime() > deadline) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(backoff, java.util.concurrent.TimeUnit.MILLISECONDS))
                            .thenCompose(x -> attempt(g, key, deadline, Math.min(backoff * 2, 5000)));
                });
    }
}
