package io.tracemark.chain.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * This replica as a C2SP tlog-witness for other logs ({@code tracemark.witness.*}), each overridable by
 * environment variable ({@code TRACEMARK_WITNESS_ENABLED}, …). The same keys configure the standalone
 * witness process.
 */
@ConfigMapping(prefix = "tracemark.witness")
public interface WitnessConfig {
    /** Serve {@code /witness/add-checkpoint}; off by default. */
    @WithDefault("false")
    boolean enabled();

    /** Witness key and state directory; {@code <tracemark.chain.data-dir>/witness} when absent. */
    Optional<String> dataDir();

    /** Cosigner name, a schema-less URL; must differ from every log key name it witnesses. */
    @WithDefault("tracemark.local/witness")
    String keyName();

    /** Cosigner key {@code PRIVATE+KEY+name+keyid+base64(0x04‖seed)}; generated into the data dir if absent. */
    Optional<String> signingKey();

    /** Witnessed logs, comma-separated, each {@code <origin> <vkey> [<vkey>…]}. */
    Optional<List<String>> logs();
}
