package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LeafPositionCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsAPositionInASealedBlock() {
        LeafPosition p = new LeafPosition(41, 7L);
        assertEquals("{\"index\":41,\"blockHeight\":7}", new String(LeafPositionCodec.encode(p), StandardCharsets.UTF_8));
        assertEquals(p, LeafPositionCodec.decode(LeafPositionCodec.encode(p)));
    }

    @Test
    void readsAnAnswerWithoutBlockHeightAsNotSealed() {
        assertEquals(new LeafPosition(3, null), LeafPositionCodec.decode(utf8("{\"index\":3}")));
        assertEquals(new LeafPosition(3, null), LeafPositionCodec.decode(utf8("{\"index\":3,\"blockHeight\":null}")));
    }

    @Test
    void rejectsAnswersThatAreNotPositions() {
        assertEquals("leaf-position.index", assertThrows(ContractViolation.class,
                () -> LeafPositionCodec.decode(utf8("{\"index\":\"3\"}"))).code());
        assertEquals("leaf-position.index", assertThrows(ContractViolation.class,
                () -> LeafPositionCodec.decode(utf8("{\"index\":-1}"))).code());
        assertEquals("leaf-position.blockHeight", assertThrows(ContractViolation.class,
                () -> LeafPositionCodec.decode(utf8("{\"index\":1,\"blockHeight\":1.5}"))).code());
        assertEquals("leaf-position.json", assertThrows(ContractViolation.class,
                () -> LeafPositionCodec.decode(utf8("{\"index\":1} x"))).code());
    }
}
