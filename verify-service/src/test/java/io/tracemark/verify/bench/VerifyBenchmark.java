package io.tracemark.verify.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.claims.WorkIndex;
import io.tracemark.verify.claims.WorkIndexFeed;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Throughput and latency of receipt verification (beside a static GET through the same client and server),
 * claim lookup and exact lookup with {@code tracemark.bench.works} registered works (default 100,000).
 * Not part of the normal suite; run with {@code -Dtracemark.bench=true} (see BENCHMARKS.md, "Verify").
 */
@QuarkusTest
@TestProfile(VerifyBenchmark.Unlimited.class)
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
@EnabledIfSystemProperty(named = "tracemark.bench", matches = "true")
class VerifyBenchmark {
    static final int WORKS = Integer.getInteger("tracemark.bench.works", 100_000);
    static final int THREADS = Integer.getInteger("tracemark.bench.threads", 8);
    static final Duration RUN = Duration.ofSeconds(Integer.getInteger("tracemark.bench.seconds", 20));
    /** Each scenario first runs this long unmeasured, at the same concurrency (the JIT, pools and per-checkpoint memo warm). */
    static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("tracemark.bench.warmup-seconds", 3));

    /**
     * No rate limit (the benchmark is one client on purpose), and the production defaults of how long the ledger's
     * keys and latest checkpoint are trusted and a record's registry facts kept (the test profile reads them on every
     * use).
     */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracemark.verify.rate-limit.burst", "100000000", "tracemark.verify.rate-limit.per-second", "100000000",
                    "tracemark.verify.keys-ttl", "60s", "tracemark.verify.chain.latest-checkpoint-ttl", "1s",
                    // 0s times every verification with its store read of the record.
                    "tracemark.verify.registry-facts-ttl", System.getProperty("tracemark.bench.registry-facts-ttl", "1s"));
        }
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    MongoClient mongo;
    @Inject
    WorkIndexFeed feed;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    /**
     * HTTP/1.1, so each client thread has a connection of its own, as separate clients do. The JDK client's default,
     * h2c, multiplexes all threads on one HTTP/2 connection: one event loop and one connection lock for every
     * request (JFR showed POST bodies waiting on it, 27 ms on average, up to 310 ms, in the verify tail).
     */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void receiptVerificationAndClaimLookupAt100kWorks() throws Exception {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Random rnd = new Random(7);
        long[] hashes = seedWorks(rnd);
        // A running log has a checkpoint: the ledger's "absent from the tree of N leaves" is then reusable while N stays.
        Registry.Stored first = registry.register("bench", "product.batch", Map.of("lot", "FIRST"), new Document(), Instant.now());
        registry.anchor(first, Instant.now());
        // The works went straight into the store, as a restore would: the claim index is rebuilt from it, timed.
        Duration rebuild = feed.rebuild().get(10, TimeUnit.MINUTES);
        WorkIndex index = feed.index();
        assertEquals(WORKS, index.size());
        String indexLine = String.format("Claim index rebuilt from the store in %.1f s: %d works, %.1f MiB of arrays, "
                        + "%.0f bytes a work%n", rebuild.toMillis() / 1000.0, index.size(), index.bytes() / 1048576.0,
                (double) index.bytes() / index.size());
        System.out.println(indexLine);
        StringBuilder md = new StringBuilder(indexLine).append('\n')
                .append("| scenario | threads | requests | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        IntFunction<String> claim = i -> {
            long q = hashes[Math.floorMod(i * 7919, hashes.length)] ^ (0b101L << Math.floorMod(i, 60)) ^ (1L << 63);
            return post("/v1/claims/verify", "{\"phash\":\"" + PerceptualHash.hex(q) + "\"}");
        };
        IntFunction<String> exact = i -> get("/v1/records?sha256=" + fileSha(Math.floorMod(i * 7919, WORKS)));
        // Request numbers run on from one scenario to the next, so no measured request repeats a warm-up one.
        AtomicLong sequence = new AtomicLong();
        md.append(run("POST /v1/claims/verify (pHash, 3 bits off a registered work)", THREADS, sequence, claim).row());
        md.append(run("GET /v1/records?sha256= (exact lookup)", THREADS, sequence, exact).row());
        // The same lookups from one client: the service's own latency, without 8 requests queueing for 2 cores.
        md.append(run("POST /v1/claims/verify, one client at a time", 1, sequence, claim).row());
        md.append(run("GET /v1/records?sha256=, one client at a time", 1, sequence, exact).row());
        String sample = post("/v1/claims/verify", "{\"phash\":\"" + PerceptualHash.hex(hashes[42] ^ 0b111L) + "\"}");
        md.append("\nSample claim answer (candidates examined of ").append(WORKS).append(" works): ")
                .append(sample.replaceAll(".*(\"candidatesExamined\":[0-9]+).*", "$1")).append('\n');
        md.append(indexAlone(index, hashes));
        if ("claims".equals(System.getProperty("tracemark.bench.only"))) {
            Files.writeString(Path.of("target", "benchmarks-verify.md"), md.toString());
            System.out.println("\n" + md);
            return;
        }
        List<String> receipts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Registry.Stored r = registry.register("bench", "product.batch", Map.of("lot", "B" + i), new Document(), Instant.now());
            registry.anchor(r, Instant.now());
            receipts.add("{\"receipt\":" + get("/v1/receipts/" + r.id()) + "}");
        }
        String verdict = post("/v1/verify", receipts.get(0));
        if (!verdict.contains("\"verdict\":\"valid\"")) {
            throw new IllegalStateException("the benchmark's receipts must verify: " + verdict);
        }
        // The static baseline, through the same client and the same HTTP stack: verify's relay of the latest checkpoint.
        Result staticGet = run("GET /v1/checkpoint (static: the cached latest checkpoint)", THREADS, sequence, i -> get("/v1/checkpoint"));
        Result verify = run("POST /v1/verify (receipt, all checks)", THREADS, sequence,
                i -> post("/v1/verify", receipts.get(Math.floorMod(i, receipts.size()))));
        md.append(staticGet.row()).append(verify.row());
        md.append(run("GET /checkpoint on the loopback chain node (JDK HttpServer)", THREADS, sequence,
                i -> send(HttpRequest.newBuilder(URI.create(LoopbackChainNode.shared().url() + "/checkpoint")).GET().build())).row());
        md.append(String.format("%nReceipt verification / static GET: %.1f %% of the rate (%.0f / %.0f req/s); a verification "
                        + "sends %,d bytes and gets %,d back, the static GET gets %,d%n",
                100 * verify.perSecond() / staticGet.perSecond(), verify.perSecond(), staticGet.perSecond(),
                receipts.get(0).getBytes(StandardCharsets.UTF_8).length, verdict.getBytes(StandardCharsets.UTF_8).length,
                get("/v1/checkpoint").getBytes(StandardCharsets.UTF_8).length));
        Path out = Path.of("target", "benchmarks-verify.md");
        Files.writeString(out, md.toString());
        System.out.println("\n" + md);
    }

    /**
     * Inserts WORKS media works shaped as ingest writes them, with random pHashes. What only attest's conflict search
     * reads (ingest's {@code work_chunks} and {@code digests} collections, {@code keys.phashChunks}) is left out:
     * verify does not read it, and at a million works it would only swell the embedded server's heap.
     */
    private long[] seedWorks(Random rnd) {
        MongoCollection<Document> records = mongo.getDatabase(database).getCollection("records");
        long[] hashes = new long[WORKS];
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < WORKS; i++) {
            hashes[i] = rnd.nextLong();
            String id = Registry.ulid(Instant.now());
            batch.add(new Document("_id", id).append("tenant", "t" + (i % 50)).append("type", "media.work")
                    .append("receivedAt", new Date()).append("salt", "s").append("canonical", "{}").append("digest", sha(i))
                    .append("status", "accepted").append("keys", new Document("sha256", fileSha(i))
                            .append("phash", PerceptualHash.hex(hashes[i]))));
            if (batch.size() == 5000) {
                records.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            records.insertMany(batch);
        }
        return hashes;
    }

    private static String sha(int i) {
        return String.format("%064x", 0x5eedL * 1_000_003L + i);
    }

    /** A work's file SHA-256, distinct from every record digest, so the exact lookup goes through the claim index. */
    private static String fileSha(int i) {
        return String.format("%064x", 0xf11eL * 1_000_003L + i);
    }

    /**
     * The index's own share of a lookup, in process and on one thread (the same query mix as the HTTP scenarios):
     * what the claim answer costs before the matches are loaded from the store and their anchoring from the ledger.
     */
    private static String indexAlone(WorkIndex index, long[] hashes) {
        int n = 20_000;
        long[] near = new long[n];
        long[] exact = new long[n];
        for (int i = -2_000; i < n; i++) {
            int k = Math.floorMod(i * 7919, hashes.length);
            long q = hashes[k] ^ (0b101L << Math.floorMod(i, 60)) ^ (1L << 63);
            long t0 = System.nanoTime();
            if (index.near(q, 10).hits().isEmpty()) {
                throw new IllegalStateException("a work 3 bits away was not found");
            }
            long t1 = System.nanoTime();
            if (index.bySha256(fileSha(k)).isEmpty()) {
                throw new IllegalStateException("a registered file was not found");
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                near[i] = t1 - t0;
                exact[i] = t2 - t1;
            }
        }
        Arrays.sort(near);
        Arrays.sort(exact);
        return String.format("%nIn-memory index alone, one thread, %d queries: near-duplicate (t = 10) p50 %.3f ms, "
                        + "p99 %.3f ms; SHA-256 p50 %.4f ms, p99 %.4f ms%n", n, near[n / 2] / 1e6, near[n * 99 / 100] / 1e6,
                exact[n / 2] / 1e6, exact[n * 99 / 100] / 1e6);
    }

    /** One scenario's outcome. */
    private record Result(String name, int threads, int requests, double perSecond, double p50Millis, double p99Millis) {
        String row() {
            return String.format("| %s | %d | %d | %.0f | %.1f | %.1f |%n", name, threads, requests, perSecond, p50Millis,
                    p99Millis);
        }
    }

    /** Runs {@code request} from {@code threads} clients: {@link #WARMUP} unmeasured, then {@link #RUN} measured. */
    private Result run(String name, int threads, AtomicLong sequence, IntFunction<String> request) throws Exception {
        drive(threads, WARMUP, sequence, request);
        long start = System.nanoTime();
        long[] all = drive(threads, RUN, sequence, request);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(name, threads, all.length, all.length / seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6);
    }

    /** Every request's latency (ns, sorted) of {@code threads} clients sending back to back for {@code length}. */
    private static long[] drive(int threads, Duration length, AtomicLong sequence, IntFunction<String> request)
            throws Exception {
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    request.apply((int) sequence.getAndIncrement());
                    mine.add(System.nanoTime() - s);
                }
                latencies.add(mine.stream().mapToLong(Long::longValue).toArray());
                return null;
            }));
        }
        pool.shutdown();
        for (java.util.concurrent.Future<?> c : clients) {
            c.get(length.toSeconds() + 120, TimeUnit.SECONDS); // A failed request fails the benchmark, not a silent gap.
        }
        return latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private String get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).GET().build());
    }

    private String post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private String send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
