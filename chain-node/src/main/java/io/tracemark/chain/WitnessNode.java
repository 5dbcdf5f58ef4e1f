package io.tracemark.chain;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.chain.config.ChainConfig;
import io.tracemark.chain.config.WitnessConfig;
import io.tracemark.chain.witness.Witness;
import io.tracemark.chain.witness.WitnessSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The replica's own C2SP tlog-witness, when {@code tracemark.witness.enabled}; independent of the log it runs. */
@ApplicationScoped
public class WitnessNode {
    @Inject
    WitnessConfig config;
    @Inject
    ChainConfig chain;

    private volatile Witness witness;

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            Path dir = config.dataDir().map(Path::of).orElse(Path.of(chain.dataDir()).resolve("witness"));
            witness = Witness.open(new WitnessSettings(dir.toAbsolutePath(), config.keyName(), config.signingKey(),
                    config.logs().orElse(List.of())));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (witness != null) {
            witness.close();
        }
    }

    /** The witness, if enabled. */
    public Optional<Witness> witness() {
        return Optional.ofNullable(witness);
    }
}
