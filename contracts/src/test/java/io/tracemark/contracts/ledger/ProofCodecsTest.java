package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chain node's inclusion and consistency proofs as JSON. */
class ProofCodecsTest {
    private static final String H1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String H2 = Base64.getEncoder().encodeToString(filled(32, 7));

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsAnInclusionProof() {
        InclusionProof p = new InclusionProof(5, 13, H1, List.of(H2, H1, H2));
        assertEquals("{\"index\":5,\"treeSize\":13,\"leafHash\":\"" + H1 + "\",\"hashes\":[\"" + H2 + "\",\"" + H1
                + "\",\"" + H2 + "\"]}", new String(InclusionProofCodec.encode(p), StandardCharsets.UTF_8));
        assertEquals(p, InclusionProofCodec.decode(InclusionProofCodec.encode(p)));
        InclusionProof single = new InclusionProof(0, 1, H2, List.of());
        assertEquals(single, InclusionProofCodec.decode(InclusionProofCodec.encode(single)));
    }

    @Test
    void rejectsInclusionProofsThatCannotBeChecked() {
        assertEquals("inclusion-proof.index", assertThrows(ContractViolation.class, () -> InclusionProofCodec.decode(
                utf8("{\"index\":13,\"treeSize\":13,\"leafHash\":\"" + H1 + "\",\"hashes\":[]}"))).code());
        assertEquals("inclusion-proof.hashes", assertThrows(ContractViolation.class, () -> InclusionProofCodec.decode(
                utf8("{\"index\":1,\"treeSize\":2,\"leafHash\":\"" + H1 + "\",\"hashes\":[\"AAEC\"]}"))).code());
        assertEquals("inclusion-proof.hashes", assertThrows(ContractViolation.class, () -> InclusionProofCodec.decode(
                utf8("{\"index\":1,\"treeSize\":2,\"leafHash\":\"" + H1 + "\"}"))).code());
        assertEquals("inclusion-proof.leafHash", assertThrows(ContractViolation.class, () -> InclusionProofCodec.decode(
                utf8("{\"index\":1,\"treeSize\":2,\"leafHash\":\"not base64!\",\"hashes\":[]}"))).code());
        assertEquals("inclusion-proof.treeSize", assertThrows(ContractViolation.class, () -> InclusionProofCodec.decode(
                utf8("{\"index\":1,\"treeSize\":\"2\",\"leafHash\":\"" + H1 + "\",\"hashes\":[]}"))).code());
    }

    @Test
    void roundTripsAConsistencyProof() {
        ConsistencyProof p = new ConsistencyProof(3, 8, List.of(H1, H2));
        assertEquals("{\"from\":3,\"to\":8,\"hashes\":[\"" + H1 + "\",\"" + H2 + "\"]}",
                new String(ConsistencyProofCodec.encode(p), StandardCharsets.UTF_8));
        assertEquals(p, ConsistencyProofCodec.decode(ConsistencyProofCodec.encode(p)));
    }

    @Test
    void rejectsConsistencyProofsBackwardsOrWithBadHashes() {
        assertEquals("consistency-proof.from", assertThrows(ContractViolation.class,
                () -> ConsistencyProofCodec.decode(utf8("{\"from\":9,\"to\":8,\"hashes\":[]}"))).code());
        assertEquals("consistency-proof.hashes", assertThrows(ContractViolation.class,
                () -> ConsistencyProofCodec.decode(utf8("{\"from\":3,\"to\":8,\"hashes\":[null]}"))).code());
        assertEquals("consistency-proof.json", assertThrows(ContractViolation.class,
                () -> ConsistencyProofCodec.decode(utf8("{\"from\":3,\"to\":8,\"hashes\":[]} {}"))).code());
    }
}
