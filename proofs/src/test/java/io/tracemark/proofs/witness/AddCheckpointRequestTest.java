package io.tracemark.proofs.witness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C2SP tlog-witness example request and mutations of it. */
class AddCheckpointRequestTest {
    static final String SPEC_CHECKPOINT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
            + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
            + "— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";
    static final String SPEC_REQUEST = "old 20852014\n"
            + "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
            + "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
            + "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
            + "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
            + "\n" + SPEC_CHECKPOINT;

    @Test
    void parsesTheSpecExampleRequest() {
        AddCheckpointRequest r = AddCheckpointRequest.parse(bytes(SPEC_REQUEST));
        assertEquals(20852014L, r.oldSize());
        assertEquals(4, r.consistencyProof().size());
        assertArrayEquals(Base64.getDecoder().decode("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw="),
                r.consistencyProof().get(0));
        Note note = Note.parse(r.checkpoint());
        assertEquals(20852163L, Checkpoint.parse(note.text()).size());
        assertEquals(2, note.signatures().size());
        assertArrayEquals(bytes(SPEC_REQUEST), r.encode());
    }

    @Test
    void parsesARequestWithoutProofFromOldSizeZero() {
        AddCheckpointRequest r = AddCheckpointRequest.parse(bytes("old 0\n\n" + SPEC_CHECKPOINT));
        assertEquals(0, r.oldSize());
        assertEquals(List.of(), r.consistencyProof());
    }

    @Test
    void rejectsEachMalformedHeaderWithItsReason() {
        assertMalformed("old 020852014\n\n" + SPEC_CHECKPOINT, "old size '020852014' is not a canonical decimal");
        assertMalformed("old  5\n\n" + SPEC_CHECKPOINT, "old size ' 5' is not a canonical decimal");
        assertMalformed("old -1\n\n" + SPEC_CHECKPOINT, "old size '-1' is not a canonical decimal");
        assertMalformed("Old 5\n\n" + SPEC_CHECKPOINT, "first line must be 'old <size>'");
        assertMalformed("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\n" + SPEC_CHECKPOINT,
                "consistency proof line is not canonical padded base64");
        assertMalformed("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDp\n\n" + SPEC_CHECKPOINT,
                "consistency proof hash is 30 bytes, expected 32");
        assertMalformed("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n", "request ends before the empty line that precedes the checkpoint");
        assertMalformed("old 5", "request ends before the empty line that precedes the checkpoint");
        String line = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n";
        assertMalformed("old 5\n" + String.join("", Collections.nCopies(64, line)) + "\n" + SPEC_CHECKPOINT,
                "more than 63 consistency proof lines");
        assertEquals(63, AddCheckpointRequest.parse(bytes("old 5\n" + String.join("", Collections.nCopies(63, line))
                + "\n" + SPEC_CHECKPOINT)).consistencyProof().size());
    }

    @Test
    void conflictBodyIsDecimalAndNewline() {
        assertEquals("20852014\n", TlogSize.encode(20852014L));
        assertEquals(20852014L, TlogSize.parse("20852014\n"));
        ProofException e = assertThrows(ProofException.class, () -> TlogSize.parse("20852014"));
        assertEquals("witness.request.malformed: tree size must end with a newline", e.getMessage());
        assertThrows(ProofException.class, () -> TlogSize.parse("0020\n"));
    }

    private static void assertMalformed(String body, String why) {
        ProofException e = assertThrows(ProofException.class, () -> AddCheckpointRequest.parse(bytes(body)));
        assertEquals(ProofErrorCode.WITNESS_REQUEST_MALFORMED, e.errorCode());
        assertEquals("witness.request.malformed: " + why, e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
