package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.proofs.ledger.BlockHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BlockMessagesTest {
    private static final String NOTE = "tracemark.local/log\n105\nIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=\n\n"
            + "\u2014 tracemark.local/chain-node-1 AAAA\n";
    /** The JSON the chain node published for this block before it used the contracts' BlockMessage. */
    private static final String BEFORE = "{\"origin\":\"tracemark.local/log\",\"header\":{\"height\":3,\"previousHash\":"
            + "\"1111111111111111111111111111111111111111111111111111111111111111\",\"firstLeafIndex\":100,"
            + "\"leafCount\":5,\"treeSize\":105,\"root\":\"2222222222222222222222222222222222222222222222222222222222222222\","
            + "\"timeMillis\":1700000000123},\"blockHash\":\"f362390bc99e896073881479e16f0c6445ac90e78171d4bade9f2a89e893125e\","
            + "\"leavesFromOffset\":40,\"leavesToOffset\":42,\"batches\":[{\"offset\":40,\"firstLeafIndex\":100,\"count\":2},"
            + "{\"offset\":41,\"firstLeafIndex\":102,\"count\":3}],\"checkpoint\":\"tracemark.local/log\\n105\\n"
            + "IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=\\n\\n\u2014 tracemark.local/chain-node-1 AAAA\\n\","
            + "\"signer\":\"tracemark.local/chain-node-1\"}";

    private static SealedBlock block(List<Batch> batches) {
        byte[] previous = new byte[32];
        Arrays.fill(previous, (byte) 0x11);
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) 0x22);
        return new SealedBlock(new BlockHeader(3, previous, 100, 5, 105, root, 1_700_000_000_123L), 40, 42, batches);
    }

    private static String json(SealedBlock b) {
        BlockMessage m = BlockMessages.of("tracemark.local/log", b, NOTE, "tracemark.local/chain-node-1");
        return new String(BlockMessageCodec.encode(m), StandardCharsets.UTF_8);
    }

    @Test
    void aBlockWithoutSkippedDigestsIsPublishedByteForByteAsBefore() {
        assertEquals(BEFORE, json(block(List.of(new Batch(40, 100, 2), new Batch(41, 102, 3)))));
    }

    @Test
    void skippedPositionsAppearOnlyOnBatchesThatHaveThem() {
        SealedBlock b = block(List.of(new Batch(40, 100, 2, List.of(1)), new Batch(41, 102, 3)));
        String json = json(b);

        assertTrue(json.contains("{\"offset\":40,\"firstLeafIndex\":100,\"count\":2,\"skipped\":[1]}"), json);
        assertTrue(json.contains("{\"offset\":41,\"firstLeafIndex\":102,\"count\":3}"), json);
        BlockMessage decoded = BlockMessageCodec.decode(json.getBytes(StandardCharsets.UTF_8));
        BlockMessage.Batch first = decoded.batches().get(0);
        assertEquals(List.of(1), first.skipped());
        // The contract's reading of the batch matches the ledger's: position 2 became leaf 101.
        assertEquals(OptionalLong.of(100), first.leafIndexOf(0));
        assertEquals(OptionalLong.empty(), first.leafIndexOf(1));
        assertEquals(OptionalLong.of(101), first.leafIndexOf(2));
    }
}
