package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracemark.proofs.ledger.BlockHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    /**
     * A block as the chain node wrote it before leaf deduplication (produced by that version's
     * BlockCodec.encode): header ‖ offsets ‖ two batches, nothing after them.
     */
    private static final String BEFORE_DEDUPLICATION = "544d424c4f434b3100000000000000031111111111111111111111111111111111"
            + "11111111111111111111111111111100000000000000640000000000000005000000000000006922222222222222222222222222"
            + "222222222222222222222222222222222222220000018bcfe5687b0000000000000028000000000000002a00000002000000000000"
            + "00280000000000000064000000020000000000000029000000000000006600000003";

    private static BlockHeader header() {
        byte[] previous = new byte[32];
        Arrays.fill(previous, (byte) 0x11);
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) 0x22);
        return new BlockHeader(3, previous, 100, 5, 105, root, 1_700_000_000_123L);
    }

    @Test
    void decodesABlockWrittenBeforeDeduplication() {
        SealedBlock old = BlockCodec.decode(HexFormat.of().parseHex(BEFORE_DEDUPLICATION));

        assertEquals(new SealedBlock(header(), 40, 42, List.of(new Batch(40, 100, 2), new Batch(41, 102, 3))), old);
        assertEquals(List.of(), old.batches().get(0).skipped());
        // A block without skipped digests is still written exactly as before.
        assertArrayEquals(HexFormat.of().parseHex(BEFORE_DEDUPLICATION), BlockCodec.encode(old));
    }

    @Test
    void roundTripsSkippedPositions() {
        SealedBlock block = new SealedBlock(header(), 40, 44, List.of(new Batch(40, 100, 2, List.of(0, 3, 31_999)),
                new Batch(41, 102, 0, List.of(0, 1)), new Batch(43, 102, 3)));

        byte[] bytes = BlockCodec.encode(block);

        assertEquals(block, BlockCodec.decode(bytes));
        assertEquals(BlockCodec.HEADER_BYTES + 20 + 3 * 20 + 1 + 4 + 4 + (8 + 12) + (8 + 8), bytes.length);
    }

    @Test
    void skipsExtensionsItDoesNotKnow() {
        SealedBlock block = new SealedBlock(header(), 40, 41, List.of(new Batch(40, 100, 5, List.of(2))));
        byte[] known = BlockCodec.encode(block);
        byte[] withUnknown = ByteBuffer.allocate(known.length + 8).put(known).put((byte) 77).putInt(3)
                .put(new byte[] {1, 2, 3}).array();

        assertEquals(block, BlockCodec.decode(withUnknown));
    }
}
