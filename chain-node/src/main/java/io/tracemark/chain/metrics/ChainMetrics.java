package io.tracemark.chain.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.chain.timestamp.external.ExternalTimestamps;
import io.tracemark.chain.witnessing.WitnessStatus;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The replica's Micrometer meters, scraped as Prometheus text at {@code /q/metrics}. They read
 * the replica's own counters, so the ledger code stays free of any metrics library.
 */
@ApplicationScoped
public class ChainMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    ChainNode node;

    private final List<Meter> meters = new ArrayList<>();

    // After ChainNode's own start-up observer (default priority), so the replica exists.
    void register(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent e) {
        counter("tracemark.chain.leaves.applied", null, "Leaves applied from the leaves topic since start",
                r -> r.status().leavesApplied());
        counter("tracemark.chain.blocks.sealed", null, "Blocks made durable and signed since start",
                ChainReplica::blocksSealed);
        counter("tracemark.chain.cosignatures.merged", null,
                "Other replicas' verified signatures merged into checkpoints since start",
                r -> r.cosignatures().mergedCount());
        counter("tracemark.chain.timestamps.issued", null, "RFC 3161 tokens issued over checkpoints since start",
                r -> r.timestamper().issuedCount());
        counter("tracemark.chain.timestamps.dropped", null,
                "Checkpoints left unstamped (backlog full or issuing failed) since start",
                r -> r.timestamper().droppedCount());
        gauge("tracemark.chain.tree.size", null, "Leaves in the latest signed checkpoint",
                r -> r.committed().treeSize());
        gauge("tracemark.chain.checkpoint.age", "seconds", "Time since the latest checkpoint was signed",
                r -> (System.currentTimeMillis() - r.committedAtMillis()) / 1000.0);
        gauge("tracemark.chain.apply.lag", "records",
                "Leaves-topic records between the applied position and the topic end (-1 if unknown)",
                r -> r.status().lag());
        for (WitnessStatus w : node.replica().witnessing().statuses()) {
            witnessMeters(w);
        }
        node.replica().authorities().statuses().forEach(this::authorityMeters);
    }

    private void authorityMeters(ExternalTimestamps.Status a) {
        Tags tag = Tags.of("authority", a.name());
        meters.add(FunctionCounter.builder("tracemark.chain.tsa.external.tokens", a, ExternalTimestamps.Status::obtained)
                .tags(tag).description("Checkpoint tokens obtained from an external RFC 3161 authority since start")
                .register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.tsa.external.failures", a, ExternalTimestamps.Status::failures)
                .tags(tag).description("Requests to an external authority without a usable token (unreachable, timeout, "
                        + "error, refused token) since start").register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.tsa.external.retries", a, ExternalTimestamps.Status::retries)
                .tags(tag).description("Requests to an external authority repeated after a failure since start")
                .register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.tsa.external.missed", a, ExternalTimestamps.Status::missed)
                .tags(tag).description("Checkpoints left without an external authority's token since start")
                .register(registry));
        meters.add(Gauge.builder("tracemark.chain.tsa.external.stamped.size", a, ExternalTimestamps.Status::lastStampedSize)
                .tags(tag).description("Largest tree size an external authority stamped since start (-1 before the first)")
                .strongReference(true).register(registry));
    }

    private void witnessMeters(WitnessStatus w) {
        Tags tag = Tags.of("witness", w.name());
        meters.add(FunctionCounter.builder("tracemark.chain.witness.cosignatures", w, WitnessStatus::cosignatures)
                .tags(tag).description("Witness cosignatures merged into served checkpoints since start").register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.witness.split.views", w, WitnessStatus::splitViews)
                .tags(tag).description("Checkpoints a witness refused (422) as inconsistent with one it cosigned: "
                        + "it was shown a split view").register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.witness.rejections", w, WitnessStatus::rejections)
                .tags(tag).description("Submissions a witness refused with 400, 403 or 404 since start").register(registry));
        meters.add(FunctionCounter.builder("tracemark.chain.witness.failures", w, WitnessStatus::failures)
                .tags(tag).description("Submissions without a usable answer (unreachable, timeout, 5xx) since start")
                .register(registry));
        meters.add(Gauge.builder("tracemark.chain.witness.cosigned.size", w, WitnessStatus::cosignedSize).tags(tag)
                .description("Largest tree size the witness cosigned for this replica (-1 before the first)")
                .strongReference(true).register(registry));
    }

    // The injected registry is Micrometer's global one, which outlives this application (tests
    // restart Quarkus in one JVM); meters left behind would keep reading a stopped replica.
    void unregister(@Observes ShutdownEvent e) {
        meters.forEach(registry::remove);
        meters.clear();
    }

    // Prometheus appends the base unit to the name, so it is set only where it reads well.
    private void counter(String name, String unit, String help, ToDoubleFunction<ChainReplica> value) {
        meters.add(FunctionCounter.builder(name, node, n -> value.applyAsDouble(n.replica())).baseUnit(unit)
                .description(help).register(registry));
    }

    private void gauge(String name, String unit, String help, ToDoubleFunction<ChainReplica> value) {
        meters.add(Gauge.builder(name, node, n -> value.applyAsDouble(n.replica())).baseUnit(unit).description(help)
                .strongReference(true).register(registry));
    }
}
