package io.tracemark.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.chain.config.ChainConfig;
import io.tracemark.chain.config.TopicsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Quarkus application's {@link ChainReplica}, started with the application and stopped with it, tracing through the
 * application's OpenTelemetry.
 */
@ApplicationScoped
public class ChainNode {
    @Inject
    ChainConfig config;
    @Inject
    TopicsConfig topics;
    @Inject
    ObjectMapper json;
    @Inject
    OpenTelemetry otel;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private volatile ChainReplica replica;

    void onStart(@Observes StartupEvent event) {
        replica = ChainReplica.start(ReplicaSettings.from(config, topics, bootstrap), json, otel);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (replica != null) {
            replica.close();
        }
    }

    /** The running replica. */
    public ChainReplica replica() {
        return replica;
    }

    /** The settings this node runs with. */
    public ReplicaSettings settings() {
        return replica.config();
    }
}
