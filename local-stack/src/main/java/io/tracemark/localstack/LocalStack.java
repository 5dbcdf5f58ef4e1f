package io.tracemark.localstack;

import io.tracemark.infra.EmbeddedKafka;
import io.tracemark.infra.EmbeddedMongo;
import io.tracemark.infra.InfraProcess;
import io.tracemark.infra.PortInUseException;
import io.tracemark.infra.Ports;
import io.tracemark.infra.TracemarkTopics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole Tracemark system on one machine: a real Kafka broker (KRaft) and a MongoDB-wire server
 * in this JVM, and the four services as child JVMs. Ctrl-C stops everything in reverse order.
 * Refuses unknown flags; {@code --help} lists every flag and its environment variable.
 */
public final class LocalStack implements AutoCloseable {
    /** GS1 Company Prefixes of the example GTINs (GS1's, and those in the README) that demo and load tenants own. */
    public static final List<String> DEMO_COMPANY_PREFIXES = List.of("4006381", "4012345", "9506000", "0614141", "0036000");
    private final StackOptions options;
    private final PrintStream out;
    private EmbeddedMongo mongo;
    private EmbeddedKafka kafka;
    private InfraProcess infra;
    private Map<String, Integer> infraPorts;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Set once stopping begins, so that services exiting on the way down are not reported as failures. */
    private volatile boolean closing;
    private String demoApiKey;
    private String adminApiKey;
    /** The log's witnesses, or null with {@code --witnesses=false}. */
    private StackWitnesses witnesses;

    private LocalStack(StackOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** {@code ./tracemark up}: see {@link UpCommand}. */
    public static void main(String[] args) {
        System.exit(UpCommand.commandLine(System.getenv()).execute(args));
    }

    /** Starts the stack, prints where everything is and blocks until Ctrl-C (or SIGTERM) stops it. */
    static int runUntilStopped(StackOptions options) throws InterruptedException, IOException {
        LocalStack stack;
        long started = System.nanoTime();
        try {
            stack = start(options, System.out);
        } catch (PortInUseException e) {
            System.err.println("tracemark: " + e.getMessage());
            return UpCommand.PORT_IN_USE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("Stopping Tracemark...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "local-stack-shutdown"));
        stack.printSummary(Duration.ofNanos(System.nanoTime() - started));
        stack.watch();
        stopped.await();
        return 0;
    }

    /** Starts every part, waiting for each service's readiness, and returns the running stack. */
    public static LocalStack start(StackOptions options, PrintStream out) throws IOException, InterruptedException {
        LocalStack s = new LocalStack(options, out);
        try {
            s.startAll();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        Files.createDirectories(options.dataDir().resolve("logs"));
        // Kafka and the MongoDB-wire server log through SLF4J: keep their chatter out of the console.
        System.setProperty("org.slf4j.simpleLogger.logFile", options.dataDir().resolve("logs/infra.log").toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka broker", options.kafkaPort());
        ports.put("Kafka controller", options.kafkaControllerPort());
        ports.put("MongoDB-wire server", options.mongoPort());
        ports.put("verify-service", options.verifyPort());
        ports.put("ingest-service", options.ingestPort());
        ports.put("attest-service", options.attestPort());
        for (int i = 0; i < options.chainNodePorts().size(); i++) {
            ports.put("chain-node-" + (i + 1), options.chainNodePorts().get(i));
        }
        if (options.witnesses()) {
            ports.put(StackWitnesses.STANDALONE, options.witnessPort());
        }
        Map<String, Integer> resolved = Ports.resolveAll(ports);
        Files.createDirectories(options.dataDir());
        infraPorts = resolved;
        if (options.infraProcess()) {
            startInfraProcess();
        } else {
            startInfraInProcess(resolved);
        }

        adminApiKey = AdminKeys.adminKey(options.dataDir());
        Map<String, String> common = new HashMap<>();
        common.put("TRACEMARK_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        common.put("TRACEMARK_MONGODB_CONNECTION_STRING", mongoConnectionString());
        common.put("TRACEMARK_EDGE_ADMIN_KEY_SHA256", AdminKeys.sha256(adminApiKey));
        // The services' logs in data/logs are read by people here: text lines, not production's JSON.
        common.put("TRACEMARK_LOG_JSON", "false");
        Path logs = options.dataDir().resolve("logs");

        List<String> chainUrls = new ArrayList<>();
        for (int i = 0; i < options.chainNodePorts().size(); i++) {
            chainUrls.add("http://127.0.0.1:" + resolved.get("chain-node-" + (i + 1)));
        }
        if (options.witnesses()) {
            witnesses = StackWitnesses.prepare(options.dataDir(), chainUrls.size());
            int port = resolved.get(StackWitnesses.STANDALONE);
            step(StackWitnesses.STANDALONE, "launching the standalone witness (" + StackWitnesses.standaloneName()
                    + ") on port " + port);
            services.put(StackWitnesses.STANDALONE, ServiceProcess.launchMain(StackWitnesses.STANDALONE,
                    options.repoRoot(), "chain-node", StackWitnesses.STANDALONE_MAIN, port, witnesses.standaloneEnv(port),
                    options.serviceJvmOptions(), logs));
        }
        for (int i = 0; i < chainUrls.size(); i++) {
            String name = "chain-node-" + (i + 1);
            Map<String, String> env = new HashMap<>(common);
            env.put("TRACEMARK_CHAIN_DATA_DIR", options.dataDir().resolve(name).toString());
            env.put("TRACEMARK_CHAIN_KEY_NAME", "tracemark.local/" + name);
            if (!options.externalTsa().isEmpty()) {
                env.put("TRACEMARK_CHAIN_EXTERNAL_TSA_AUTHORITIES", options.externalTsa());
            }
            if (witnesses != null) {
                env.putAll(witnesses.replicaEnv(i + 1, chainUrls,
                        "http://127.0.0.1:" + resolved.get(StackWitnesses.STANDALONE)));
            }
            launch(name, "chain-node", resolved.get(name), env);
        }
        Map<String, String> ingestEnv = new HashMap<>(common);
        // Record status is derived from a replica's leaf lookup; the default localhost:8083 may be no replica.
        ingestEnv.put("TRACEMARK_INGEST_CHAIN_NODE_URL", String.join(",", chainUrls));
        launch("ingest-service", "ingest-service", resolved.get("ingest-service"), ingestEnv);
        Map<String, String> attestEnv = new HashMap<>(common);
        // Receipts (inclusion proofs, RFC 3161 tokens) come from the replicas' HTTP API, the next asked when one
        // cannot answer; without this attest would ask its default localhost:8083, no replica at random ports.
        attestEnv.put("TRACEMARK_ATTEST_CHAIN_NODE_URL", String.join(",", chainUrls));
        // Every replica signs each checkpoint: receipts wait (bounded) for all of them.
        attestEnv.put("TRACEMARK_ATTEST_RECEIPT_EXPECTED_SIGNATURES", Integer.toString(chainUrls.size()));
        // Webhook signing secrets are encrypted at rest with a key kept in the data dir (created on first start, mode 600).
        attestEnv.put("TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEY_FILE",
                options.dataDir().resolve("webhook-secret-key").toAbsolutePath().toString());
        attestEnv.putAll(options.webhooks().attestEnv());
        launch("attest-service", "attest-service", resolved.get("attest-service"), attestEnv);
        if (options.webhooks().allowLoopback()) {
            step("attest-service", "webhooks may target this machine (127.0.0.0/8, ::1) for local testing; "
                    + "production refuses them (--webhooks-allow-loopback=false to do so here)");
        }
        Map<String, String> verifyEnv = new HashMap<>(common);
        // Every replica, in order: verify fails over to the next when one cannot answer.
        verifyEnv.put("TRACEMARK_VERIFY_CHAIN_NODE_URL", String.join(",", chainUrls));
        // The public base its QR codes and linksets name; a real deployment sets its own domain.
        verifyEnv.put("TRACEMARK_VERIFY_DIGITAL_LINK_BASE", "http://localhost:" + resolved.get("verify-service"));
        verifyEnv.put("TRACEMARK_VERIFY_RATE_LIMIT_PER_SECOND", Integer.toString(options.verifyRateLimitPerSecond()));
        verifyEnv.put("TRACEMARK_VERIFY_RATE_LIMIT_BURST", Integer.toString(Math.max(120, options.verifyRateLimitPerSecond())));
        if (witnesses != null) {
            verifyEnv.putAll(witnesses.verifyEnv());
        }
        launch("verify-service", "verify-service", resolved.get("verify-service"), verifyEnv);
        awaitReady(services.values(), Duration.ofMinutes(3));
        AdminKeys.DemoKey demo = AdminKeys.demoKey(options.dataDir(), services.get("ingest-service").url(), adminApiKey);
        demoApiKey = demo.apiKey();
        declareCompanyPrefixes("demo");
        step("demo tenant", demo.created() ? "created; API key written to " + options.dataDir().resolve("demo-api-key")
                : "reusing API key from " + options.dataDir().resolve("demo-api-key"));
    }

    private void startInfraInProcess(Map<String, Integer> resolved) {
        step("MongoDB-wire server", "starting (" + (options.mongoInMemory() ? "in memory" : "H2, " + options.dataDir().resolve("mongo")) + ")");
        mongo = options.mongoInMemory()
                ? EmbeddedMongo.startInMemory(Ports.LOOPBACK, resolved.get("MongoDB-wire server"))
                : EmbeddedMongo.startH2(EmbeddedMongo.defaultH2File(options.dataDir()), Ports.LOOPBACK,
                resolved.get("MongoDB-wire server"));
        step("MongoDB-wire server", "up at " + mongo.connectionString());
        step("Kafka", "starting KRaft broker (data " + options.dataDir().resolve("kafka") + ")");
        kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka"), resolved.get("Kafka broker"),
                resolved.get("Kafka controller"));
        kafka.createTopics(TracemarkTopics.defaults());
        step("Kafka", "up at " + kafka.bootstrapServers() + ", topics ready");
    }

    private void startInfraProcess() {
        step("Kafka + MongoDB", "starting in a child JVM (data " + options.dataDir() + ")");
        infra = InfraProcess.builder().dataDir(options.dataDir())
                .kafkaPort(infraPorts.get("Kafka broker")).controllerPort(infraPorts.get("Kafka controller"))
                .mongoPort(infraPorts.get("MongoDB-wire server")).mongoInMemory(options.mongoInMemory())
                .startupTimeout(Duration.ofMinutes(2)).start();
        step("Kafka + MongoDB", "up: " + infra.kafkaBootstrap() + ", " + infra.mongoConnectionString());
    }

    /** Kills Kafka and the MongoDB-wire server with SIGKILL (only with {@code --infra-process}). */
    public void killInfra() {
        if (infra == null) {
            throw new IllegalStateException("infra runs in this JVM; start with --infra-process to kill it");
        }
        infra.kill();
    }

    /** Starts Kafka and the MongoDB-wire server again on the same ports and data. */
    public void restartInfra() {
        if (infra != null && infra.isAlive()) {
            infra.close();
        }
        startInfraProcess();
    }

    /** Kills one service with SIGKILL and starts it again, returning once it is ready. */
    public void killAndRestart(String service) throws IOException, InterruptedException {
        ServiceProcess p = services.get(service);
        p.kill();
        step(service, "killed (SIGKILL), restarting");
        ServiceProcess fresh = p.restart();
        services.put(service, fresh);
        awaitReady(List.of(fresh), Duration.ofMinutes(3));
    }

    /**
     * Stops services gracefully (SIGTERM, as an operator's stop would), in parallel, and returns once
     * they have exited; {@link #start(String...)} brings them back.
     */
    public void stop(String... names) {
        List<ServiceProcess> which = new ArrayList<>();
        for (String name : names) {
            which.add(service(name));
        }
        which.parallelStream().forEach(ServiceProcess::close);
        for (String name : names) {
            step(name, "stopped (SIGTERM)");
        }
    }

    /** Kills services at once (SIGKILL, as a crash would) without restarting them; see {@link #start(String...)}. */
    public void kill(String... names) {
        for (String name : names) {
            service(name).kill();
            step(name, "killed (SIGKILL)");
        }
    }

    /** Starts stopped services again on their ports with their environment, returning once all are ready. */
    public void start(String... names) throws IOException, InterruptedException {
        List<ServiceProcess> fresh = new ArrayList<>();
        for (String name : names) {
            ServiceProcess p = service(name);
            if (p.isAlive()) {
                throw new IllegalStateException(name + " is running; stop it first");
            }
            step(name, "starting again");
            ServiceProcess again = p.restart();
            services.put(name, again);
            fresh.add(again);
        }
        awaitReady(fresh, Duration.ofMinutes(3));
    }

    private ServiceProcess service(String name) {
        ServiceProcess p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name + "; known: " + services.keySet());
        }
        return p;
    }

    private void launch(String name, String module, int port, Map<String, String> env) throws IOException {
        step(name, "launching on port " + port);
        services.put(name, ServiceProcess.launch(name, options.repoRoot(), module, port, env,
                options.serviceJvmOptions(), options.dataDir().resolve("logs")));
    }

    private void awaitReady(java.util.Collection<ServiceProcess> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(which);
        long lastReport = 0;
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                ServiceProcess p = it.next();
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited during startup; see " + p.log());
                }
                if (p.ready()) {
                    step(p.name(), "ready at " + p.url());
                    it.remove();
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within " + timeout.toSeconds() + "s: "
                        + waiting.stream().map(p -> p.name() + " (log " + p.log() + ")").toList());
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                step("waiting", "for " + waiting.stream().map(ServiceProcess::name).toList());
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
    }

    private void step(String part, String what) {
        out.printf("  %-22s %s%n", part, what);
        out.flush();
    }

    private void printSummary(Duration took) {
        out.println();
        out.println("Tracemark is up (" + took.toMillis() + " ms).");
        services.values().stream().filter(ServiceProcess::quarkusService)
                .forEach(p -> out.printf("  %-16s %s   (API docs %s/q/swagger-ui)%n", p.name(), p.url(), p.url()));
        if (witnesses != null) {
            witnesses.verifierKeys().forEach((name, vkey) -> out.printf("  %-16s %s   (witness %s)%n",
                    name.equals(StackWitnesses.STANDALONE) ? "witness" : "witness (" + name.replace("chain-node-", "cn-") + ")",
                    services.get(name).url() + (name.equals(StackWitnesses.STANDALONE) ? "" : "/witness"), vkey));
        }
        out.println("  Kafka            " + kafkaBootstrapServers());
        out.println("  MongoDB          " + mongoConnectionString());
        out.println("  demo API key     " + demoApiKey + "   (also in " + options.dataDir().resolve("demo-api-key") + ")");
        out.println("  admin API key    in " + options.dataDir().resolve("admin-api-key")
                + "   (issues tenant keys: POST " + services.get("ingest-service").url() + "/v1/admin/tenants/{tenant}/api-keys)");
        if (options.webhooks().allowLoopback()) {
            out.println("  webhooks         may target 127.0.0.1 / ::1 here (local testing only; production refuses them)");
        }
        out.println("  logs             " + options.dataDir().resolve("logs"));
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Reports a service that dies while the stack runs (see {@link ServiceWatch}). */
    private void watch() {
        Thread t = new Thread(new ServiceWatch(services::values, () -> closing, System.err), "local-stack-watch");
        t.setDaemon(true);
        t.start();
    }

    /** The running services by name (chain-node-1, ingest-service, ...). */
    public Map<String, ServiceProcess> services() {
        return services;
    }

    public String kafkaBootstrapServers() {
        return infra != null ? infra.kafkaBootstrap() : kafka.bootstrapServers();
    }

    public String mongoConnectionString() {
        return infra != null ? infra.mongoConnectionString() : mongo.connectionString();
    }

    /** Where every service's log (and the infra log) of this stack is written. */
    public Path logsDir() {
        return options.dataDir().resolve("logs");
    }

    public String demoApiKey() {
        return demoApiKey;
    }

    /**
     * Lets {@code tenant} register the GS1 example GTINs the README, the tests and the load driver use, as their
     * brand owner would (company prefixes {@link #DEMO_COMPANY_PREFIXES}).
     */
    public void declareCompanyPrefixes(String tenant) throws IOException, InterruptedException {
        AdminKeys.declareCompanyPrefixes(services.get("ingest-service").url(), adminApiKey, tenant, DEMO_COMPANY_PREFIXES);
    }

    public String adminApiKey() {
        return adminApiKey;
    }

    /**
     * Cosigner verifier keys of the log's witnesses by the service that runs each (chain-node-2 and
     * {@code witness}), empty with {@code --witnesses=false}.
     */
    public Map<String, String> witnessKeys() {
        return witnesses == null ? Map.of() : witnesses.verifierKeys();
    }

    /** Stops services first (they flush to Kafka and MongoDB), then Kafka, then MongoDB. */
    @Override
    public void close() {
        closing = true;
        List<ServiceProcess> reverse = new ArrayList<>(services.values());
        java.util.Collections.reverse(reverse);
        reverse.parallelStream().forEach(ServiceProcess::close);
        services.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (infra != null) {
            infra.close();
            infra = null;
        }
        if (mongo != null) {
            mongo.close();
            mongo = null;
        }
    }
}
