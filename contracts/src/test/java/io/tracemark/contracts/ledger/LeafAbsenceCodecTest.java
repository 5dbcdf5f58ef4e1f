package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeafAbsenceCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsTheTreeSizeRootAndSignedStatement() {
        LeafAbsence a = new LeafAbsence(12, "AAAA", "tracemark.dev/leaf-absence/v1\no\n12\nAAAA\nab\n\n— k sig\n");
        byte[] json = LeafAbsenceCodec.encode(a);
        assertEquals(a, LeafAbsenceCodec.decode(json));
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"status\":404") && text.contains("\"retriable\":true"), text);
    }

    @Test
    void readsTheChainNodesProblemWithExtraMembers() {
        assertEquals(new LeafAbsence(0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "note"), LeafAbsenceCodec.decode(utf8(
                "{\"type\":\"https://tracemark.dev/problems/not-present\",\"title\":\"Leaf not present\",\"status\":404,"
                        + "\"retriable\":true,\"traceId\":\"x\",\"treeSize\":0,"
                        + "\"root\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\",\"absence\":\"note\"}")));
    }

    @Test
    void rejectsAProblemThatDoesNotSayWhichTreeItCovers() {
        assertEquals("leaf-absence.treeSize", assertThrows(ContractViolation.class, () -> LeafAbsenceCodec.decode(utf8(
                "{\"type\":\"https://tracemark.dev/problems/not-present\",\"status\":404,\"retriable\":true}"))).code());
        assertEquals("leaf-absence.type", assertThrows(ContractViolation.class,
                () -> LeafAbsenceCodec.decode(utf8("{\"type\":\"https://tracemark.dev/problems/other\",\"treeSize\":1}"))).code());
        assertEquals("leaf-absence.statement", assertThrows(ContractViolation.class, () -> LeafAbsenceCodec.decode(utf8(
                "{\"type\":\"https://tracemark.dev/problems/not-present\",\"treeSize\":1,\"root\":\"AAAA\"}"))).code());
        assertEquals("leaf-absence.json", assertThrows(ContractViolation.class,
                () -> LeafAbsenceCodec.decode(utf8("not json"))).code());
    }
}
