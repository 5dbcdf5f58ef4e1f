package io.tracemark.localstack.load;

import io.tracemark.localstack.StackFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadCommandTest {

    @Test
    void helpListsLoadAndStackFlagsAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = LoadCommand.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("--help"));
        for (String flag : List.of("--records", "--rate", "--http-share", "--mix", "--webhooks", "--report", "--repo", "--data")) {
            assertTrue(out.toString().contains(flag), flag + " missing from:\n" + out);
        }
    }

    @Test
    void unknownFlagIsAUsageErrorBeforeAnyStackStarts() {
        StringWriter err = new StringWriter();
        CommandLine cl = LoadCommand.commandLine(Map.of());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("--recrods", "10"));
        assertTrue(err.toString().contains("--recrods"), err.toString());
    }

    @Test
    void loadDriverPicksFreePortsAndLiftsTheRateLimitUnlessToldAndEnvironmentCannotPinItsPorts() {
        CommandLine cl = LoadCommand.commandLine(Map.of("TRACEMARK_KAFKA_PORT", "9092", "TRACEMARK_REPO", "/srv/tracemark"));
        cl.parseArgs("--records", "10", "--verify-port", "18080");
        LoadCommand c = cl.getCommand();
        var stack = c.stack.toOptions();
        assertEquals(0, stack.kafkaPort());
        assertEquals(18080, stack.verifyPort());
        assertEquals(1_000_000, stack.verifyRateLimitPerSecond());
        assertEquals("/srv/tracemark", stack.repoRoot().toString());
        assertEquals(10, c.load.toOptions().records());
    }

    @Test
    void loadOptionsRefuseStackFlagsAndBadMixes() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.fromArgs(new String[] {"--kafka-port", "0"}));
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.fromArgs(new String[] {"--mix", "batch=x"}));
        assertTrue(weight.getMessage().contains("--mix"), weight.getMessage());
    }

    @Test
    void aWarmUpRunSendsTheSameMixWithoutAWarmUpOfItsOwn() {
        LoadOptions o = LoadOptions.fromArgs(new String[] {"--records", "500", "--warmup", "2000", "--rate", "300",
                "--http-share", "0.1", "--mix", "batch=1,work=2", "--webhooks", "1"});
        LoadOptions warm = o.withRecords(o.warmup());
        assertEquals(2000, warm.records());
        assertEquals(0, warm.warmup());
        assertEquals(List.of(300, 1), List.of(warm.ratePerSecond(), warm.webhooks()));
        assertEquals(o.mix(), warm.mix());
        assertEquals(0.1, warm.httpShare());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.fromArgs(new String[] {"--warmup", "-1"}));
        assertTrue(negative.getMessage().contains("--warmup"), negative.getMessage());
    }

    @Test
    void stackFlagsAreAMixinOfTheLoadCommand() {
        assertTrue(LoadCommand.commandLine(Map.of()).getCommandSpec().mixins().values().stream()
                .anyMatch(m -> m.userObject() instanceof StackFlags));
    }
}
