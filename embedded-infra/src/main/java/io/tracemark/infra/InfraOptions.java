package io.tracemark.infra;

import java.nio.file.Path;
import java.util.Map;

/** Command-line and environment options of {@link InfraMain}; flags win over environment variables. */
record InfraOptions(Path dataDir, int kafkaPort, int controllerPort, int mongoPort,
        boolean mongoMemory, boolean ignoreStdin, boolean help) {

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_CONTROLLER_PORT = 9093;
    static final int DEFAULT_MONGO_PORT = 27017;

    static InfraOptions parse(String[] args, Map<String, String> env) {
        String data = env.get("TRACEMARK_DATA_DIR");
        int kafkaPort = envPort(env, "TRACEMARK_KAFKA_PORT", DEFAULT_KAFKA_PORT);
        int controllerPort = envPort(env, "TRACEMARK_KAFKA_CONTROLLER_PORT", DEFAULT_CONTROLLER_PORT);
        int mongoPort = envPort(env, "TRACEMARK_MONGO_PORT", DEFAULT_MONGO_PORT);
        boolean mongoMemory = Boolean.parseBoolean(env.get("TRACEMARK_MONGO_MEMORY"));
        boolean ignoreStdin = Boolean.parseBoolean(env.get("TRACEMARK_INFRA_IGNORE_STDIN"));
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data" -> data = value(args, ++i, arg);
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, arg), arg);
                case "--kafka-controller-port" -> controllerPort = port(value(args, ++i, arg), arg);
                case "--mongo-port" -> mongoPort = port(value(args, ++i, arg), arg);
                case "--mongo-memory" -> mongoMemory = true;
                case "--ignore-stdin" -> ignoreStdin = true;
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (help) {
            return new InfraOptions(null, kafkaPort, controllerPort, mongoPort, mongoMemory, ignoreStdin, true);
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("--data <dir> (or TRACEMARK_DATA_DIR) is required");
        }
        return new InfraOptions(Path.of(data), kafkaPort, controllerPort, mongoPort, mongoMemory, ignoreStdin, false);
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    private static int envPort(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        return raw == null || raw.isBlank() ? fallback : port(raw, name);
    }

    private static int port(String raw, String name) {
        try {
            int port = Integer.parseInt(raw.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number 0..65535, was '" + raw + "'");
        }
    }
}
