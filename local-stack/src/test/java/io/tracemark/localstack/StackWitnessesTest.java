package io.tracemark.localstack;

import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.note.NoteKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackWitnessesTest {
    @TempDir
    Path data;

    @Test
    void keysAreMadeOnceOwnerOnlyWhereTheServicesLookAndKeptOnTheNextStart() throws Exception {
        StackWitnesses first = StackWitnesses.prepare(data, 2);
        Path replicaKey = data.resolve("chain-node-1/keys/note-signer.key");
        Path replicaWitnessKey = data.resolve("chain-node-2/witness/cosigner.key");
        Path standaloneKey = data.resolve("witness/cosigner.key");
        for (Path f : List.of(replicaKey, data.resolve("chain-node-2/keys/note-signer.key"), replicaWitnessKey, standaloneKey)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        assertEquals(NoteKeys.parseSignerKey(Files.readString(replicaKey).trim()).verifier().verifierKey(),
                first.logKeys().get(0));
        assertEquals(CosignatureKeys.parseSignerKey(Files.readString(standaloneKey).trim(), () -> 1).verifier().verifierKey(),
                first.verifierKeys().get("witness"));
        assertTrue(first.verifierKeys().get("chain-node-2").startsWith("tracemark.local/chain-node-2-witness+"));

        StackWitnesses again = StackWitnesses.prepare(data, 2);
        assertEquals(first.logKeys(), again.logKeys());
        assertEquals(first.verifierKeys(), again.verifierKeys());
    }

    @Test
    void replicasSubmitToBothWitnessesAndOnlyTheSecondWitnessesTheLogItself() throws Exception {
        StackWitnesses w = StackWitnesses.prepare(data, 2);
        List<String> urls = List.of("http://127.0.0.1:1001", "http://127.0.0.1:1002");
        String both = w.verifierKeys().get("chain-node-2") + " http://127.0.0.1:1002/witness,"
                + w.verifierKeys().get("witness") + " http://127.0.0.1:1003";
        Map<String, String> one = w.replicaEnv(1, urls, "http://127.0.0.1:1003");
        Map<String, String> two = w.replicaEnv(2, urls, "http://127.0.0.1:1003");
        assertEquals(both, one.get("TRACEMARK_CHAIN_WITNESSES"));
        assertEquals(both, two.get("TRACEMARK_CHAIN_WITNESSES"));
        assertFalse(one.containsKey("TRACEMARK_WITNESS_ENABLED"));
        assertEquals("true", two.get("TRACEMARK_WITNESS_ENABLED"));
        String log = "tracemark.local/log " + w.logKeys().get(0) + " " + w.logKeys().get(1);
        assertEquals(log, two.get("TRACEMARK_WITNESS_LOGS"));
        assertEquals(log, w.standaloneEnv(1003).get("TRACEMARK_WITNESS_LOGS"));
        assertEquals(w.verifierKeys().get("chain-node-2") + "," + w.verifierKeys().get("witness"),
                w.verifyEnv().get("TRACEMARK_VERIFY_WITNESSES"));
        for (String value : List.of(one.toString(), two.toString(), w.standaloneEnv(1003).toString(), w.verifyEnv().toString())) {
            assertFalse(value.contains("PRIVATE+KEY"), "no signing key leaves the data dir: " + value);
        }
    }

    @Test
    void aSingleReplicaIsWitnessedByTheStandaloneWitnessAlone() throws Exception {
        StackWitnesses w = StackWitnesses.prepare(data, 1);
        assertEquals(List.of("witness"), List.copyOf(w.verifierKeys().keySet()));
        assertEquals(w.verifierKeys().get("witness") + " http://127.0.0.1:1003",
                w.replicaEnv(1, List.of("http://127.0.0.1:1001"), "http://127.0.0.1:1003").get("TRACEMARK_CHAIN_WITNESSES"));
    }

    @Test
    void aDataDirHoldingAnotherReplicasKeyIsRefused() throws Exception {
        StackWitnesses.prepare(data, 2);
        Files.copy(data.resolve("chain-node-2/keys/note-signer.key"), data.resolve("chain-node-1/keys/note-signer.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StackWitnesses.prepare(data, 2));
        assertTrue(e.getMessage().contains("tracemark.local/chain-node-2"), e.getMessage());
    }
}
