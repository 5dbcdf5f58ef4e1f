package io.tracemark.localstack;

import io.tracemark.infra.cli.EnvDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run up(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = UpCommand.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static StackOptions parse(Map<String, String> env, String... args) {
        CommandLine cl = UpCommand.commandLine(env);
        cl.parseArgs(args);
        return ((UpCommand) cl.getCommand()).flags.toOptions();
    }

    @Test
    void helpListsEveryFlagTheAdminKeyFileAndExitsZeroWithoutStartingAnything() {
        Run r = up(Map.of(), "--help");
        assertEquals(0, r.exit(), r.err());
        for (String flag : List.of("--data", "--kafka-port", "--mongo-port", "--verify-port", "--ingest-port",
                "--attest-port", "--chain-node-port", "--chain-replicas", "--webhooks-allow-loopback", "--witnesses",
                "--witness-port", "TRACEMARK_KAFKA_PORT",
                "admin-api-key", "demo-api-key")) {
            assertTrue(r.out().contains(flag), flag + " missing from the help:\n" + r.out());
        }
    }

    @Test
    void misspelledFlagIsRefusedByNameWithExitStatusTwo() {
        Run r = up(Map.of(), "--kafka-prot", "9092");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--kafka-prot"), r.err());
        assertFalse(r.out().contains("Tracemark is up"), r.out());
    }

    @Test
    void stackOptionsRefuseAFlagTheStackDoesNotKnow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackOptions.fromArgs(new String[] {"--records", "10"}));
        assertTrue(e.getMessage().contains("--records"), e.getMessage());
    }

    @Test
    void environmentVariablesSetDefaultsAndFlagsWin() {
        StackOptions o = parse(Map.of("TRACEMARK_KAFKA_PORT", "19092", "TRACEMARK_MONGO_PORT", "27018",
                "TRACEMARK_DATA", "/tmp/tm-data"), "--mongo-port", "0", "--chain-replicas", "3");
        assertEquals(19092, o.kafkaPort());
        assertEquals(0, o.mongoPort());
        assertEquals(Path.of("/tmp/tm-data"), o.dataDir());
        assertEquals(List.of(8083, 8084, 8085), o.chainNodePorts());
    }

    @Test
    void embeddedDefaultLetsWebhooksReachThisMachineAndTheFlagTurnsItOff() {
        StackOptions dflt = parse(Map.of());
        assertTrue(dflt.webhooks().allowLoopback());
        assertEquals("127.0.0.0/8,::1/128", dflt.webhooks().attestEnv().get("TRACEMARK_ATTEST_WEBHOOKS_ALLOWED_NETWORKS"));

        StackOptions strict = parse(Map.of(), "--webhooks-allow-loopback=false");
        assertFalse(strict.webhooks().allowLoopback());
        assertFalse(strict.webhooks().attestEnv().containsKey("TRACEMARK_ATTEST_WEBHOOKS_ALLOWED_NETWORKS"));
        assertFalse(parse(Map.of("TRACEMARK_WEBHOOKS_ALLOW_LOOPBACK", "false")).webhooks().allowLoopback());
    }

    @Test
    void witnessesRunByDefaultOnAnyFreePortAndTheFlagTurnsThemOff() {
        StackOptions dflt = parse(Map.of());
        assertTrue(dflt.witnesses());
        assertEquals(0, dflt.witnessPort());
        assertFalse(parse(Map.of(), "--witnesses=false").witnesses());
        assertEquals(8090, parse(Map.of("TRACEMARK_WITNESS_PORT", "8090")).witnessPort());
    }

    @Test
    void environmentVariableNamesFollowTheFlagNames() {
        EnvDefaults env = StackFlags.envDefaults(Map.of());
        CommandLine cl = UpCommand.commandLine(Map.of());
        assertEquals("TRACEMARK_VERIFY_RATE_LIMIT", env.variable(cl.getCommandSpec().findOption("--verify-rate-limit")));
        assertEquals("TRACEMARK_DATA", env.variable(cl.getCommandSpec().findOption("--data")));
    }
}
