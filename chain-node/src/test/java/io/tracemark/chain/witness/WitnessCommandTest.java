package io.tracemark.chain.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WitnessCommandTest {

    @Test
    void helpNamesEveryFlagAndItsVariableAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = WitnessCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("--help"));
        for (String s : new String[] {"--data-dir", "--key-name", "--signing-key", "--logs", "--port", "TRACEMARK_WITNESS_"}) {
            assertTrue(out.toString().contains(s), s + " missing from:\n" + out);
        }
    }

    @Test
    void unknownFlagIsRefusedByNameBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        CommandLine cl = WitnessCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("--prot", "8085"));
        assertTrue(err.toString().contains("--prot"), err.toString());
    }

    @Test
    void systemPropertiesAreDefaultsAndFlagsWin() {
        System.setProperty("tracemark.witness.key-name", "witness.example/w9");
        System.setProperty("tracemark.witness.port", "18085");
        try {
            CommandLine cl = WitnessCommand.commandLine();
            cl.parseArgs("--port", "0", "--data-dir", "/tmp/w", "--logs", "a/log k1, b/log k2");
            WitnessCommand c = cl.getCommand();
            assertEquals(0, c.port);
            assertEquals("witness.example/w9", c.keyName);
            assertEquals(Path.of("/tmp/w"), c.dataDir);
        } finally {
            System.clearProperty("tracemark.witness.key-name");
            System.clearProperty("tracemark.witness.port");
        }
    }
}
