package io.tracemark.chain.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSignerTest {
    // Key seed 00..1f, root a0..bf: the note below is what this node served before it used the proofs library.
    private static final String NAME = "tracemark.local/chain-node-1";
    private static final String SIGNER_KEY =
            "PRIVATE+KEY+tracemark.local/chain-node-1+3c9dbee2+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";
    private static final String VERIFIER_KEY =
            "tracemark.local/chain-node-1+3c9dbee2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
    private static final String NOTE = "tracemark.local/log\n70000\noKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=\n\n"
            + "\u2014 tracemark.local/chain-node-1 PJ2+4nbmasRB2By6Itgq67z5NZlshgfnmxQQKMiFFjvV0RBl/kMfbDHgi/pt9Bu/"
            + "Bakzsd4N+oEjNVzvfoGmhjP9xg0=\n";

    @TempDir
    Path dir;

    private static byte[] root() {
        byte[] root = new byte[32];
        for (int i = 0; i < 32; i++) {
            root[i] = (byte) (0xa0 + i);
        }
        return root;
    }

    @Test
    void signsCheckpointNotesByteForByteAsBefore() throws Exception {
        Files.writeString(dir.resolve("note-signer.key"), SIGNER_KEY + "\n");
        NoteSigner key = SignerKeyFile.load(Optional.empty(), dir, NAME);
        assertEquals(VERIFIER_KEY, key.verifier().verifierKey());
        CheckpointSigner signer = new CheckpointSigner("tracemark.local/log", key);
        String note = signer.note(signer.body(70_000, root()));
        assertEquals(NOTE, note);
        assertEquals(70_000, SignedCheckpoints.verify(note.getBytes(StandardCharsets.UTF_8), "tracemark.local/log",
                VerifierSet.parse(java.util.List.of(VERIFIER_KEY)), 1).checkpoint().size());
        assertEquals(NOTE.substring(NOTE.indexOf('\u2014'), NOTE.length() - 1),
                CheckpointSigner.line(signer.sign(signer.body(70_000, root()))));
    }

    @Test
    void generatesAKeyOnFirstStartAndRefusesAnotherReplicasKey() {
        NoteSigner first = SignerKeyFile.load(Optional.empty(), dir, NAME);
        assertEquals(first.verifier(), SignerKeyFile.load(Optional.empty(), dir, NAME).verifier());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SignerKeyFile.load(Optional.empty(), dir, "tracemark.local/chain-node-2"));
        assertEquals(true, e.getMessage().contains("use a separate data dir per replica"));
        String damaged = SIGNER_KEY.replace("+3c9dbee2+", "+3c9dbee3+");
        assertEquals("note.key.malformed", assertThrows(ProofException.class,
                () -> SignerKeyFile.load(Optional.of(damaged), dir, NAME)).code());
    }
}
