package io.tracemark.infra.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults of a command's options from environment variables: {@code --kafka-port} reads
 * {@code TRACEMARK_KAFKA_PORT} unless {@code renamed} names another variable. A flag on the command
 * line wins; an unset or blank variable leaves the option's own default.
 */
public final class EnvDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;
    private final Map<String, String> renamed;

    /** Reads {@code env}, with the variable names in {@code renamed} (option name to variable) where the rule does not fit. */
    public EnvDefaults(Map<String, String> env, Map<String, String> renamed) {
        this.env = Map.copyOf(env);
        this.renamed = Map.copyOf(renamed);
    }

    /** The environment variable an option is read from. */
    public String variable(OptionSpec option) {
        String name = option.longestName();
        return renamed.getOrDefault(name, "TRACEMARK_" + name.replaceFirst("^-+", "").replace('-', '_').toUpperCase());
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = env.get(variable(option));
        return value == null || value.isBlank() ? null : value.strip();
    }
}
