package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.localstack.LocalStack;
import io.tracemark.localstack.StackOptions;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end load driver: starts a fresh local stack (or drives one it is given), publishes a mix
 * of records over Kafka and HTTP at a target rate or flat out, follows them on the event log until
 * every one is anchored, checks every receipt offline, optionally receives every event by webhook,
 * and reports throughput, latency, lost / duplicated / unverifiable counts and store documents
 * written per record beside the machine's bounds measured in the same run.
 *
 * <p>Run: {@code ./tracemark build && java -cp 'local-stack/target/local-stack.jar:local-stack/target/lib/*'
 * io.tracemark.localstack.load.LoadDriver --records 50000 --rate 5000 --webhooks 2 --report BENCHMARKS.md}
 */
public final class LoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger TENANTS = new java.util.concurrent.atomic.AtomicInteger();

    private LoadDriver() {
    }

    /** Runs the load driver's command line: see {@link LoadCommand}, or {@code --help}. */
    public static void main(String[] args) {
        System.exit(LoadCommand.commandLine(System.getenv()).execute(args));
    }

    /** Starts a stack with {@code stackOptions}, sends the load, prints and appends the report; exit 0 if clean. */
    static int runOnFreshStack(StackOptions stackOptions, LoadOptions load, String commandLine) throws Exception {
        PrintStream out = System.out;
        out.println("Starting a local stack for the load run...");
        LoadReport report;
        try (LocalStack stack = LocalStack.start(stackOptions, out)) {
            Thread stopper = new Thread(stack::close, "load-driver-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            LoadReport warm = null;
            if (load.warmup() > 0) {
                out.printf("Warming up with %,d records through the same paths (left out of the figures)...%n", load.warmup());
                warm = run(stack, load.withRecords(load.warmup()), out);
                out.printf("  warm-up: %.0f records/s end to end, %s%n", warm.endToEndPerSecond(),
                        warm.clean() ? "clean" : "NOT clean (lost / duplicated / unverifiable " + warm.lost() + " / "
                                + warm.duplicated() + " / " + warm.unverifiable() + ")");
            }
            out.println("Measuring the machine's bounds (Kafka producer, MongoDB-wire inserts, SHA-256)...");
            MachineBounds.Bounds bounds = MachineBounds.measure(stack.kafkaBootstrapServers(), stack.mongoConnectionString(), load);
            report = run(stack, load, out).withBounds(bounds).afterWarmup(warm);
        }
        String md = report.markdown(commandLine);
        out.println();
        out.println(md);
        if (load.report() != null) {
            Files.writeString(load.report(), "\n" + md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return report.clean() ? 0 : 1;
    }

    /** Runs one load against a started stack and returns the figures (bounds not included). */
    public static LoadReport run(LocalStack stack, LoadOptions load, PrintStream out) throws Exception {
        return run(stack, load, out, java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /**
     * Runs one load; the offline checks wait for {@code quiet} so that a fault schedule running
     * beside the load has ended (every part is up again) before receipts are judged.
     */
    public static LoadReport run(LocalStack stack, LoadOptions load, PrintStream out,
                                 java.util.concurrent.CompletableFuture<?> quiet) throws Exception {
        return run(stack, load, out, quiet, newTenant(stack));
    }

    /** A tenant of its own for one load run, and its read/write API key. */
    public record Tenant(String name, String apiKey) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Issues a fresh tenant's key, so a caller can subscribe to the tenant's webhooks before the load starts. */
    public static Tenant newTenant(LocalStack stack) throws Exception {
        String tenant = "load-" + Long.toString(System.currentTimeMillis(), 36) + "-" + TENANTS.incrementAndGet();
        String key = issueKey(stack, tenant);
        stack.declareCompanyPrefixes(tenant);
        return new Tenant(tenant, key);
    }

    /** Runs one load as {@code loadTenant}; see {@link #run(LocalStack, LoadOptions, PrintStream, java.util.concurrent.CompletableFuture)}. */
    public static LoadReport run(LocalStack stack, LoadOptions load, PrintStream out,
                                 java.util.concurrent.CompletableFuture<?> quiet, Tenant loadTenant) throws Exception {
        String tenant = loadTenant.name();
        String kafka = stack.kafkaBootstrapServers();
        WebhookSink sink = load.webhooks() > 0
                ? WebhookSink.start(stack.services().get("attest-service").url(), loadTenant.apiKey(), load.webhooks()) : null;
        try (AnchorWatch watch = AnchorWatch.start(kafka, tenant)) {
            String chain = stack.services().get("chain-node-1").url();
            long treeBefore = ChainLeaves.treeSize(chain);
            Map<String, String> writers = new LinkedHashMap<>();
            for (String s : List.of("ingest-service", "attest-service", "verify-service")) {
                writers.put(s, stack.services().get(s).url());
            }
            Map<String, StoreMetrics.Scrape> storeBefore = StoreMetrics.scrape(writers);
            AnchoringSteps.Scrape stepsBefore = AnchoringSteps.scrape(writers.get("attest-service"));
            Map<String, Long> pids = new LinkedHashMap<>();
            stack.services().forEach((name, p) -> pids.put(name, p.pid()));
            Map<String, Duration> cpuBefore = CpuUse.sample(pids);
            JitShare jit = JitShare.supported() ? JitShare.start(pids) : null;
            LoadSender sender = new LoadSender(kafka, stack.services().get("ingest-service").url(), tenant,
                    loadTenant.apiKey(), load);
            Instant started = Instant.now();
            LoadSender.Sent sent = sender.sendAll(out);
            out.printf("  sent %,d records: Kafka %,d at %.0f/s, HTTP %,d at %.0f/s%n", sent.count(), sent.viaKafka(),
                    sent.kafkaOfferedPerSecond(), sent.viaHttp(), sent.httpOfferedPerSecond());
            RunEvents.Result events = watch.awaitAnchored(sent.count() - sent.gaveUp(), load.anchorTimeout(), out);
            CpuUse.Delta cpu = CpuUse.delta(cpuBefore, CpuUse.sample(pids), sent.count());
            if (jit != null) {
                cpu = cpu.withJit(jit.secondsByProcess(), sent.count());
                jit.close();
            }
            AnchoringSteps steps = AnchoringSteps.between(stepsBefore,
                    AnchoringSteps.scrape(stack.services().get("attest-service").url()));
            Duration total = Duration.between(started, events.lastAnchoredAt() == null ? Instant.now() : events.lastAnchoredAt());
            WebhookSink.Tally webhooks = null;
            if (sink != null) {
                webhooks = sink.await(watch.events().recordEvents(), load.anchorTimeout(), out);
            }
            StoreMetrics.Delta store = StoreMetrics.delta(storeBefore, StoreMetrics.scrape(writers), sent.count());
            quiet.get();
            events = watch.events().result();
            if (watch.undecodable() > 0) {
                out.println("  " + watch.undecodable() + " messages of the tenant on " + AnchorWatch.TOPIC + " were not events");
            }
            chain = stack.services().get("chain-node-1").url();
            long duplicateLeaves = ChainLeaves.extraLeaves(chain, treeBefore, ChainLeaves.treeSize(chain),
                    events.anchoredRecords().values().stream().map(RunEvents.Anchored::digest)
                            .filter(java.util.Objects::nonNull).toList());
            out.println("Checking every receipt offline...");
            ReceiptAudit.Outcome receipts = receiptAudit(stack, tenant).checkAll(events.anchoredRecords().values());
            receipts.failures().entrySet().stream().limit(5)
                    .forEach(f -> out.println("  unverifiable " + f.getKey() + ": " + f.getValue()));
            return new LoadReport(load, sent, events, total, duplicateLeaves, receipts, store, webhooks, cpu, steps, null);
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }

    /** proofs' verifier with what every chain-node replica publishes at /v1/keys, and all of them required to sign. */
    private static ReceiptAudit receiptAudit(LocalStack stack, String tenant) throws Exception {
        List<LedgerKeys> keys = new ArrayList<>();
        for (String chain : stack.services().keySet().stream().filter(n -> n.startsWith("chain-node")).toList()) {
            keys.add(LedgerKeysCodec.decode(get(stack.services().get(chain).url() + "/v1/keys")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        String verify = stack.services().get("verify-service").url();
        return new ReceiptAudit(ReceiptAudit.policy(keys, keys.size()), tenant, id -> {
            try {
                return get(verify + "/v1/receipts/" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static String issueKey(LocalStack stack, String tenant) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.services().get("ingest-service").url() + "/v1/admin/tenants/" + tenant + "/api-keys"))
                .header("Authorization", "Bearer " + stack.adminApiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not issue a key for " + tenant + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("apiKey").asText();
    }

    /** GET with retries for a minute, since a part of the stack may just be restarting. */
    private static String get(String url) throws Exception {
        java.io.IOException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = new java.io.IOException("HTTP " + r.statusCode() + " from " + url);
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw last;
    }
}
