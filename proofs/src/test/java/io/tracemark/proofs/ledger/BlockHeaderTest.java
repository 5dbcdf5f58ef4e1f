package io.tracemark.proofs.ledger;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockHeaderTest {
    private static byte[] filled(int b) {
        byte[] x = new byte[32];
        Arrays.fill(x, (byte) b);
        return x;
    }

    @Test
    void encodesTo112BytesAndDecodesBack() {
        BlockHeader h = new BlockHeader(3, filled(1), 100, 28, 128, filled(2), 1_764_000_000_123L);
        byte[] enc = h.encode();
        assertEquals(BlockHeader.ENCODED_SIZE, enc.length);
        assertEquals("TMBLOCK1", new String(enc, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(h, BlockHeader.decode(ByteBuffer.wrap(enc)));
    }

    @Test
    void nextBlockFollowsOnlyWithThePreviousHashAndContiguousLeaves() {
        BlockHeader first = new BlockHeader(0, BlockHeader.GENESIS_PREVIOUS, 0, 10, 10, filled(7), 1);
        BlockHeader second = new BlockHeader(1, first.hash(), 10, 5, 15, filled(8), 2);
        assertTrue(second.follows(first));
        byte[] tampered = first.hash();
        tampered[0] ^= 1;
        assertFalse(new BlockHeader(1, tampered, 10, 5, 15, filled(8), 2).follows(first));
        assertFalse(new BlockHeader(1, first.hash(), 11, 4, 15, filled(8), 2).follows(first));
    }

    @Test
    void rejectsHeaderWhoseSizeIsNotFirstPlusCount() {
        assertThrows(IllegalArgumentException.class, () -> new BlockHeader(0, filled(0), 0, 10, 11, filled(1), 0));
    }

    @Test
    void leafBatchRoundTripsAndRejectsALengthThatDisagreesWithItsCount() {
        byte[] rec = LeafBatchCodec.encodeLeaves(List.of(filled(1), filled(2)));
        assertEquals(LeafBatchCodec.LEAVES, LeafBatchCodec.type(rec));
        assertArrayEquals(filled(2), LeafBatchCodec.decodeLeaves(rec).get(1));
        assertThrows(IllegalArgumentException.class, () -> LeafBatchCodec.type(Arrays.copyOf(rec, rec.length - 1)));
        assertEquals(LeafBatchCodec.SEAL, LeafBatchCodec.type(LeafBatchCodec.encodeSeal(5)));
    }
}
