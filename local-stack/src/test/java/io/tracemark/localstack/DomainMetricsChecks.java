package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.localstack.load.LoadDriver;
import io.tracemark.localstack.load.LoadOptions;
import io.tracemark.localstack.load.LoadReport;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The domain metrics an operator's dashboard reads, scraped from every service's {@code /q/metrics} before and after
 * a small load run on a started stack (records over Kafka and HTTP, a webhook subscriber that takes everything and
 * one whose endpoint is gone), a poison record on Kafka, a rejected HTTP record, verifications and a claim lookup.
 * Every problem found is collected, so one run names them all.
 */
final class DomainMetricsChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Record types of the load's default mix, as ingest names them. */
    static final List<String> TYPES = List.of("product.batch", "epcis.event", "media.work");

    private final LocalStack stack;
    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();

    DomainMetricsChecks(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    private String url(String service) {
        return stack.services().get(service).url();
    }

    private Map<String, PrometheusScrape> scrape() throws Exception {
        Map<String, PrometheusScrape> s = new LinkedHashMap<>();
        for (String service : List.of("ingest-service", "attest-service", "verify-service")) {
            s.put(service, PrometheusScrape.of(url(service)));
        }
        return s;
    }

    /**
     * Runs the load and the odd requests, and returns what is wrong with the metrics (nothing when all is well).
     *
     * @param records records the load sends, a fifth of them over HTTP
     */
    List<String> run(int records) throws Exception {
        LoadDriver.Tenant tenant = LoadDriver.newTenant(stack);
        Map<String, PrometheusScrape> before = scrape();
        LoadReport report;
        try (WebhookReceiver gone = new WebhookReceiver().policy((id, attempt) -> new WebhookReceiver.Answer(410, -1, 0))) {
            WebhookSubscriptions.Subscription s = new WebhookSubscriptions(url("attest-service"), tenant.apiKey())
                    .create(gone.url("/gone"), List.of("record.accepted"));
            gone.secret(s.secret());
            report = LoadDriver.run(stack, LoadOptions.fromArgs(new String[]{"--records", Integer.toString(records),
                    "--http-share", "0.2", "--http-threads", "2", "--webhooks", "1", "--timeout", "180"}), out,
                    java.util.concurrent.CompletableFuture.completedFuture(null), tenant);
            expect(report.clean(), "the load run was not clean: lost " + report.lost() + ", duplicated "
                    + report.duplicated() + ", unverifiable " + report.unverifiable());
            expect(!gone.requests().isEmpty(), "the subscription whose endpoint is gone was never called");
        }
        poison(tenant);
        int rejected = rejectedOverHttp(tenant);
        String anchoredId = report.anchoredRecordIds().iterator().next();
        verifications(anchoredId);
        claimLookup();
        awaitDeadLettered(before.get("ingest-service"));

        Map<String, PrometheusScrape> after = scrape();
        ingest(before.get("ingest-service"), after.get("ingest-service"), records, rejected);
        attest(before.get("attest-service"), after.get("attest-service"), report.anchoredRecordIds().size());
        verify(before.get("verify-service"), after.get("verify-service"));
        return problems;
    }

    private void ingest(PrometheusScrape b, PrometheusScrape a, int records, int rejected) {
        String recs = "tracemark_ingest_records_total";
        described(a, recs, "records");
        double accepted = 0;
        for (String type : TYPES) {
            double d = delta(b, a, recs, Map.of("type", type, "outcome", "accepted"));
            expect(d > 0, recs + "{type=" + type + ",outcome=accepted} did not move");
            accepted += d;
        }
        expect(accepted >= records, recs + "{outcome=accepted} moved by " + accepted + " for " + records + " records");
        expect(delta(b, a, recs, Map.of("type", "product.batch", "outcome", "rejected")) >= rejected + 1,
                recs + "{type=product.batch,outcome=rejected} did not count the rejected HTTP and Kafka records");
        String dead = "tracemark_ingest_dead_lettered_records_total";
        described(a, dead, "records");
        expect(delta(b, a, dead, Map.of("type", "unknown", "reason", "malformed-json")) >= 1,
                dead + "{type=unknown,reason=malformed-json} did not count the poison record");
        expect(delta(b, a, dead, Map.of("type", "product.batch", "reason", "validation")) >= 1,
                dead + "{type=product.batch,reason=validation} did not count the contract-breaking record");
    }

    private void attest(PrometheusScrape b, PrometheusScrape a, int anchored) {
        String latency = "tracemark_anchoring_latency_seconds";
        histogram(b, a, latency, Map.of(), anchored);
        counted(b, a, "tracemark_attest_receipts_built_total", "receipts", Map.of(), anchored);
        String parked = "tracemark_attest_receipts_parked_records_total";
        described(a, parked, "records");
        expect(a.has(parked, Map.of("reason", "content-missing")), parked + "{reason=content-missing} is not exported");
        counted(b, a, "tracemark_attest_requests_records_total", "records", Map.of("outcome", "accepted"), anchored);
        counted(b, a, "tracemark_attest_anchored_records_total", "records", Map.of(), anchored);
        String deadLettered = "tracemark_attest_dead_lettered_records_total";
        described(a, deadLettered, "records");
        expect(a.has(deadLettered, Map.of("type", "unknown", "reason", "anchor-request.json")),
                deadLettered + "{type=unknown,reason=anchor-request.json} is not exported");
        Map.of("tracemark_attest_leaf_batches_total", "batches", "tracemark_attest_stage_failures_total", "failures",
                "tracemark_attest_partially_signed_blocks_total", "blocks").forEach((name, unit) -> described(a, name, unit));
        String attempts = "tracemark_webhooks_attempts_total";
        described(a, attempts, "attempts");
        // Both events of every record to the subscriber that takes everything.
        expect(delta(b, a, attempts, Map.of("outcome", "delivered")) >= 2.0 * anchored,
                attempts + "{outcome=delivered} moved by " + delta(b, a, attempts, Map.of("outcome", "delivered"))
                        + " for " + anchored + " records' two events");
        expect(delta(b, a, attempts, Map.of("outcome", "gone")) >= 1, attempts + "{outcome=gone} did not count the 410");
        String attemptLatency = "tracemark_webhooks_attempt_latency_seconds";
        histogram(b, a, attemptLatency, Map.of("outcome", "2xx"), 2L * anchored);
        histogram(b, a, attemptLatency, Map.of("outcome", "error"), 1);
    }

    private void verify(PrometheusScrape b, PrometheusScrape a) {
        String verdicts = "tracemark_verify_verifications_total";
        described(a, verdicts, "verifications");
        double valid = delta(b, a, verdicts, Map.of("verdict", "valid")) + delta(b, a, verdicts, Map.of("verdict", "valid-with-warnings"));
        expect(valid >= 1, verdicts + "{verdict=valid|valid-with-warnings} did not count the anchored record's verdict");
        expect(delta(b, a, verdicts, Map.of("verdict", "invalid")) >= 1, verdicts + "{verdict=invalid} did not move");
        histogram(b, a, "tracemark_verify_claim_lookups_seconds", Map.of("by", "sha256", "outcome", "none"), 1);
    }

    /** A counter with HELP naming its unit, whose series with {@code labels} moved by at least {@code atLeast}. */
    private void counted(PrometheusScrape b, PrometheusScrape a, String name, String unit, Map<String, String> labels,
                         double atLeast) {
        described(a, name, unit);
        double moved = delta(b, a, name, labels);
        expect(moved >= atLeast, name + labels + " moved by " + moved + ", expected at least " + atLeast);
    }

    /** A histogram in seconds whose count moved by at least {@code atLeast}, with HELP and {@code _bucket} series. */
    private void histogram(PrometheusScrape b, PrometheusScrape a, String name, Map<String, String> labels, long atLeast) {
        described(a, name, "seconds");
        expect("histogram".equals(a.type(name)), name + " is a " + a.type(name) + ", not a histogram");
        double moved = delta(b, a, name + "_count", labels);
        expect(moved >= atLeast, name + "_count" + labels + " moved by " + moved + ", expected at least " + atLeast);
        Map<String, String> inf = new LinkedHashMap<>(labels);
        inf.put("le", "+Inf");
        expect(a.sum(name + "_bucket", inf) == a.sum(name + "_count", labels), name + "_bucket{le=+Inf}" + labels
                + " is not its _count");
        long finite = a.labelValues(name + "_bucket", "le").stream().filter(le -> !le.equals("+Inf")).count();
        expect(finite >= 10, name + " publishes " + finite + " finite buckets (publishPercentileHistogram)");
    }

    /** HELP text, and the unit in the metric's name or its HELP. */
    private void described(PrometheusScrape a, String name, String unit) {
        String help = a.help(name);
        if (help == null || help.isBlank()) {
            problems.add(name + " has no HELP text");
            return;
        }
        expect(PrometheusScrape.family(name).contains("_" + unit) || help.contains(unit),
                name + " names its unit (" + unit + ") neither in its name nor in its HELP: " + help);
    }

    private static double delta(PrometheusScrape b, PrometheusScrape a, String name, Map<String, String> labels) {
        return a.sum(name, labels) - b.sum(name, labels);
    }

    private void expect(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** A record that is not JSON and a product batch with a wrong GTIN check digit, both on Kafka. */
    private void poison(LoadDriver.Tenant tenant) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        String key = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String value : List.of("{not json", "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key
                    + "\",\"payload\":{\"gtin\":\"4006381333932\",\"lot\":\"P-1\"}}")) {
                ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", key, value);
                r.headers().add("tracemark-tenant", tenant.name().getBytes(StandardCharsets.UTF_8));
                producer.send(r).get();
            }
        }
    }

    /** A product batch with a wrong GTIN check digit, posted over HTTP: refused, and counted as rejected. */
    private int rejectedOverHttp(LoadDriver.Tenant tenant) throws Exception {
        HttpResponse<String> r = post(url("ingest-service") + "/v1/products/batches", tenant.apiKey(),
                "{\"gtin\":\"4006381333932\",\"lot\":\"R-1\",\"quantity\":1,\"unit\":\"H87\"}");
        expect(r.statusCode() / 100 == 4, "a batch with a wrong check digit was answered " + r.statusCode());
        return 1;
    }

    /** One anchored record verified by id (a valid verdict) and an unreadable receipt (an invalid one). */
    private void verifications(String anchoredId) throws Exception {
        HttpResponse<String> valid = post(url("verify-service") + "/v1/verify", null, "{\"recordId\":\"" + anchoredId + "\"}");
        expect(valid.statusCode() == 200, "POST /v1/verify of " + anchoredId + ": " + valid.statusCode() + " " + valid.body());
        if (valid.statusCode() == 200) {
            JsonNode v = JSON.readTree(valid.body());
            expect(v.path("verdict").asText().startsWith("valid"), "verdict of an anchored record: " + valid.body());
        }
        HttpResponse<String> invalid = post(url("verify-service") + "/v1/verify", null, "{\"receipt\":{\"format\":\"nonsense\"}}");
        expect(invalid.statusCode() == 200, "POST /v1/verify of an unreadable receipt: " + invalid.statusCode());
    }

    private void claimLookup() throws Exception {
        HttpResponse<String> r = post(url("verify-service") + "/v1/claims/verify", null, "{\"sha256\":\"" + "0e".repeat(32) + "\"}");
        expect(r.statusCode() == 200, "POST /v1/claims/verify: " + r.statusCode() + " " + r.body());
    }

    /** Waits until ingest has counted both poison records (Kafka intake is asynchronous). */
    private void awaitDeadLettered(PrometheusScrape before) throws Exception {
        String dead = "tracemark_ingest_dead_lettered_records_total";
        BooleanSupplier both = () -> {
            try {
                PrometheusScrape now = PrometheusScrape.of(url("ingest-service"));
                return delta(before, now, dead, Map.of("reason", "malformed-json")) >= 1
                        && delta(before, now, dead, Map.of("reason", "validation")) >= 1;
            } catch (Exception e) {
                return false;
            }
        };
        for (long deadline = System.currentTimeMillis() + 60_000; !both.getAsBoolean() && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(250);
        }
    }

    /** POSTs JSON; a 429 of verify's public rate limit (the load's receipt audit may have spent it) is waited out. */
    private static HttpResponse<String> post(String uri, String apiKey, String body) throws Exception {
        HttpResponse<String> r = postOnce(uri, apiKey, body);
        for (int i = 0; i < 30 && r.statusCode() == 429; i++) {
            Thread.sleep(1000);
            r = postOnce(uri, apiKey, body);
        }
        return r;
    }

    private static HttpResponse<String> postOnce(String uri, String apiKey, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
