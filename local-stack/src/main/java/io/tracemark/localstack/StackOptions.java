package io.tracemark.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack keeps its data, which ports it uses and where the service builds are.
 * Every value can come from a command-line flag or an environment variable (flag wins).
 * {@code infraProcess} runs Kafka and the MongoDB-wire server in a child JVM instead of this one, so
 * that fault tests can kill them with SIGKILL. {@code verifyRateLimitPerSecond} is the public API's
 * per-client request rate; load runs that check every receipt raise it. {@code webhooks} configures
 * attest's webhook delivery ({@code --webhooks-allow-loopback}, on by default so that a developer can
 * subscribe a receiver on this machine; {@code --webhooks-retry-schedule}, {@code --webhooks-timeout}).
 * {@code witnesses} starts the log's witnesses ({@link StackWitnesses}), the standalone one on {@code witnessPort}.
 * {@code externalTsa} lists external RFC 3161 authorities for the replicas ({@code tracemark.chain.external-tsa.authorities}),
 * blank for none.
 */
public record StackOptions(Path repoRoot, Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort,
                           int verifyPort, int ingestPort, int attestPort, List<Integer> chainNodePorts,
                           boolean mongoInMemory, String serviceJvmOptions, boolean infraProcess,
                           int verifyRateLimitPerSecond, WebhookOptions webhooks, boolean witnesses,
                           int witnessPort, String externalTsa) {

    /**
     * Parses the stack's flags (see {@link StackFlags}; defaults from the design: verify 8080, ingest 8081,
     * attest 8082, chain-node 8083 and 8084), refusing any other flag.
     */
    public static StackOptions fromArgs(String[] args) {
        return StackFlags.parse(args);
    }
}
