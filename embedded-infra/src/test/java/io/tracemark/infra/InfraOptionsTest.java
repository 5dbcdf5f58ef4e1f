package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InfraOptionsTest {

    @Test
    void flagsOverrideEnvironmentAndDefaultsApply() {
        InfraOptions options = InfraOptions.parse(
                new String[] {"--data", "/tmp/x", "--kafka-port", "0", "--mongo-memory"},
                Map.of("TRACEMARK_KAFKA_PORT", "19092", "TRACEMARK_MONGO_PORT", "27018"));

        assertEquals(Path.of("/tmp/x"), options.dataDir());
        assertEquals(0, options.kafkaPort());
        assertEquals(InfraOptions.DEFAULT_CONTROLLER_PORT, options.controllerPort());
        assertEquals(27018, options.mongoPort());
        assertTrue(options.mongoMemory());
    }

    @Test
    void rejectsMissingDataDirAndBadPorts() {
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> InfraOptions.parse(new String[0], Map.of()));
        assertTrue(noData.getMessage().contains("--data"), noData.getMessage());

        IllegalArgumentException badPort = assertThrows(IllegalArgumentException.class,
                () -> InfraOptions.parse(new String[] {"--data", "d", "--mongo-port", "70000"}, Map.of()));
        assertTrue(badPort.getMessage().contains("--mongo-port"), badPort.getMessage());
    }

    @Test
    void rejectsAnUnknownFlagByName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InfraOptions.parse(new String[] {"--data", "d", "--mongo-memroy"}, Map.of()));
        assertTrue(unknown.getMessage().contains("--mongo-memroy"), unknown.getMessage());
    }

    @Test
    void helpNeedsNoDataDirAndItsUsageNamesEveryFlagWithItsVariable() {
        assertTrue(InfraOptions.parse(new String[] {"--help"}, Map.of()).help());
        String usage = InfraOptions.usage();
        for (String flag : new String[] {"--data", "--kafka-port", "--kafka-controller-port", "--mongo-port",
                "--mongo-memory", "--ignore-stdin", "TRACEMARK_DATA_DIR", "TRACEMARK_INFRA_IGNORE_STDIN"}) {
            assertTrue(usage.contains(flag), flag + " missing from: " + usage);
        }
    }

    @Test
    void environmentTurnsOnBooleanFlags() {
        InfraOptions options = InfraOptions.parse(new String[0],
                Map.of("TRACEMARK_DATA_DIR", "/tmp/d", "TRACEMARK_MONGO_MEMORY", "true"));
        assertEquals(Path.of("/tmp/d"), options.dataDir());
        assertTrue(options.mongoMemory());
    }
}
