package io.tracemark.localstack.load;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the load: most records as Kafka envelopes, a share as HTTP requests, every one with a
 * unique idempotency key so that a resend after a failure (broker or service restarted) can never
 * create a second record. One thread paces the whole load at {@code --rate} and only hands HTTP
 * records to a small pool of their own, so a slow HTTP answer never holds up the Kafka producer.
 */
final class LoadSender {
    private static final Duration HTTP_BUDGET = Duration.ofMinutes(5);
    private final String bootstrap;
    private final String ingestUrl;
    private final String tenant;
    private final String apiKey;
    private final LoadOptions options;
    // HTTP/1.1 up front: the default HTTP/2 client would first try an h2c upgrade on every new connection.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LoadSender(String bootstrap, String ingestUrl, String tenant, String apiKey, LoadOptions options) {
        this.bootstrap = bootstrap;
        this.ingestUrl = ingestUrl;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.options = options;
    }

    /**
     * What was sent and how long each path took to get it accepted: {@code kafkaTook} from the first send
     * to the last broker acknowledgement, {@code httpTook} from the first send to the last 2xx answer.
     *
     * @param gaveUp           records that could not be sent (Kafka failures after 10 rounds, HTTP past its budget)
     * @param httpLatenciesMs  per HTTP record, first request to final answer incl. retries, sorted
     * @param httpFailures     HTTP records given up, by reason (status and type), each with the count and one answer
     */
    record Sent(int count, int viaKafka, int viaHttp, Duration took, Duration kafkaTook, Duration httpTook, int gaveUp,
                List<Long> httpLatenciesMs, Map<String, String> httpFailures) {

        /** Records per second the Kafka path was offered and acknowledged. */
        double kafkaOfferedPerSecond() {
            return viaKafka / Math.max(0.001, kafkaTook.toNanos() / 1e9);
        }

        /** Records per second the HTTP path was offered and answered. */
        double httpOfferedPerSecond() {
            return viaHttp / Math.max(0.001, httpTook.toNanos() / 1e9);
        }
    }

    Sent sendAll(PrintStream out) throws InterruptedException {
        // Seeded by the run's tenant, so a second run on the same stack (after a warm-up, say) registers other
        // files instead of claiming the first run's works again (each would raise a claim conflict).
        RecordFactory factory = new RecordFactory(options, tenant.hashCode());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        Queue<Integer> kafkaRetry = new ConcurrentLinkedQueue<>();
        ExecutorService httpPool = Executors.newFixedThreadPool(options.httpThreads(), r -> {
            Thread t = new Thread(r, "load-http");
            t.setDaemon(true);
            return t;
        });
        List<Long> httpLatencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Map<String, String> failureExamples = new ConcurrentHashMap<>();
        AtomicInteger viaKafka = new AtomicInteger();
        AtomicInteger viaHttp = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        AtomicLong lastHttpDone = new AtomicLong();
        long t0 = System.nanoTime();
        long kafkaDone;
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
                    viaHttp.incrementAndGet();
                    httpPool.execute(() -> {
                        long start = System.nanoTime();
                        Failure failed = postWithRetry(g, key);
                        long end = System.nanoTime();
                        if (failed == null) {
                            httpLatencies.add((end - start) / 1_000_000);
                            lastHttpDone.accumulateAndGet(end, Math::max);
                        } else {
                            gaveUp.incrementAndGet();
                            failures.merge(failed.reason(), 1, Integer::sum);
                            failureExamples.putIfAbsent(failed.reason(), failed.example());
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
            kafkaDone = System.nanoTime();
            gaveUp.addAndGet(kafkaRetry.size());
        }
        httpPool.shutdown();
        if (!httpPool.awaitTermination(HTTP_BUDGET.toMinutes() + 1, TimeUnit.MINUTES)) {
            out.println("  HTTP sends still running after their budget; not waiting for them");
            httpPool.shutdownNow();
        }
        long end = System.nanoTime();
        List<Long> latencies;
        synchronized (httpLatencies) {
            latencies = new ArrayList<>(httpLatencies);
        }
        Collections.sort(latencies);
        long httpDone = lastHttpDone.get() == 0 ? t0 : lastHttpDone.get();
        Map<String, String> failed = new java.util.TreeMap<>();
        failures.forEach((reason, n) -> failed.put(reason, n + " × " + failureExamples.get(reason)));
        return new Sent(options.records(), viaKafka.get(), viaHttp.get(), Duration.ofNanos(end - t0),
                Duration.ofNanos(kafkaDone - t0), Duration.ofNanos(httpDone - t0), gaveUp.get(), latencies, failed);
    }

    private ProducerRecord<String, String> envelope(RecordFactory.Generated g, String key) {
        ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", key,
                "{\"type\":\"" + g.type() + "\",\"idempotencyKey\":\"" + key + "\",\"payload\":" + g.payloadJson() + "}");
        r.headers().add("tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Why an HTTP record was given up, and the last answer's body (or exception) as an example. */
    private record Failure(String reason, String example) {
    }

    /**
     * POSTs to the type's intake endpoint on this pool thread, retrying with the same Idempotency-Key
     * while the answer may change (no answer, 408, 429, 5xx: a service restarting); null when accepted.
     */
    private Failure postWithRetry(RecordFactory.Generated g, String key) {
        String path = switch (g.type()) {
            case "product.batch" -> "/v1/products/batches";
            case "epcis.event" -> "/v1/events";
            default -> "/v1/works";
        };
        HttpRequest req = HttpRequest.newBuilder(URI.create(ingestUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(g.payloadJson())).build();
        long deadline = System.nanoTime() + HTTP_BUDGET.toNanos();
        long backoff = 100;
        String last = "no answer";
        String example = "";
        while (true) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                int s = r.statusCode();
                if (s / 100 == 2) {
                    return null;
                }
                last = "HTTP " + s + " " + g.type();
                example = r.body().substring(0, Math.min(300, r.body().length()));
                if (s / 100 == 4 && s != 408 && s != 429) {
                    return new Failure(last, example);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + " " + g.type();
                example = String.valueOf(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failure("interrupted", "");
            }
            if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                return new Failure("still " + last + " after " + HTTP_BUDGET.toMinutes() + " min", example);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failure("interrupted", "");
            }
            backoff = Math.min(backoff * 2, 5000);
        }
    }
}
