package io.tracemark.contracts.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The block message every chain-node replica publishes: golden decode, round trips, the skipped list, refusals. */
class BlockMessageCodecTest {
    private static final String PREVIOUS = "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456";
    private static final String ROOT = "9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a";
    private static final String HASH = "ad6a6a73bb0d4e47d5d7b7a0b2c1b6f1f0c6e5c2b4c4d4e8a2f0c9b7e1d3f5a7";
    private static final String NOTE = "tracemark.io/log/v1\n45\nn2SnR+G5fxMfq7a0RylsnG8CAeefs8U1bmx36JtqgGo=\n\n"
            + "— tracemark-1 AAAAAQ3kq4n0ad0fJg7p8lI7eG2x1uX0A5cYg3nQw0l7bqkQ==\n";

    /**
     * A block exactly as chain-node publishes it today ({@code io.tracemark.chain.log.BlockDocument} through
     * Jackson's record serialisation: component order, batches without {@code skipped}).
     */
    private static final String CHAIN_NODE_JSON = "{\"origin\":\"tracemark.io/log/v1\","
            + "\"header\":{\"height\":7,\"previousHash\":\"" + PREVIOUS + "\",\"firstLeafIndex\":40,\"leafCount\":5,"
            + "\"treeSize\":45,\"root\":\"" + ROOT + "\",\"timeMillis\":1714566896789},"
            + "\"blockHash\":\"" + HASH + "\",\"leavesFromOffset\":120,\"leavesToOffset\":122,"
            + "\"batches\":[{\"offset\":120,\"firstLeafIndex\":40,\"count\":2},"
            + "{\"offset\":121,\"firstLeafIndex\":42,\"count\":2},{\"offset\":122,\"firstLeafIndex\":44,\"count\":1}],"
            + "\"checkpoint\":\"tracemark.io/log/v1\\n45\\nn2SnR+G5fxMfq7a0RylsnG8CAeefs8U1bmx36JtqgGo=\\n\\n"
            + "— tracemark-1 AAAAAQ3kq4n0ad0fJg7p8lI7eG2x1uX0A5cYg3nQw0l7bqkQ==\\n\","
            + "\"signer\":\"tracemark-1\"}";

    private static final BlockMessage EXPECTED = new BlockMessage("tracemark.io/log/v1",
            new BlockMessage.Header(7, PREVIOUS, 40, 5, 45, ROOT, 1714566896789L), HASH, 120, 122,
            List.of(new BlockMessage.Batch(120, 40, 2), new BlockMessage.Batch(121, 42, 2),
                    new BlockMessage.Batch(122, 44, 1)),
            NOTE, "tracemark-1");

    // --- golden decode -------------------------------------------------------------------------------

    @Test
    void decodesABlockExactlyAsChainNodePublishesIt() {
        BlockMessage m = BlockMessageCodec.decode(utf8(CHAIN_NODE_JSON));
        assertEquals(EXPECTED, m);
        assertEquals("tracemark.io/log/v1", m.origin());
        assertEquals(7, m.header().height());
        assertEquals(PREVIOUS, m.header().previousHash());
        assertEquals(40, m.header().firstLeafIndex());
        assertEquals(5, m.header().leafCount());
        assertEquals(45, m.header().treeSize());
        assertEquals(ROOT, m.header().root());
        assertEquals(1714566896789L, m.header().timeMillis());
        assertEquals(HASH, m.blockHash());
        assertEquals(120, m.leavesFromOffset());
        assertEquals(122, m.leavesToOffset());
        assertEquals(3, m.batches().size());
        assertEquals(List.of(), m.batches().get(0).skipped());
        assertEquals(NOTE, m.checkpoint());
        assertEquals("tracemark-1", m.signer());
    }

    @Test
    void decodeToleratesUnknownFieldsAtEveryLevel() {
        ObjectNode n = tree(CHAIN_NODE_JSON);
        n.put("publishedBy", "chain-node-2").putObject("future").put("x", 1);
        ((ObjectNode) n.get("header")).put("version", 2).putArray("extensions").add("e");
        ((ObjectNode) n.get("batches").get(1)).put("partition", 0).put("sizeBytes", 4096);
        assertEquals(EXPECTED, BlockMessageCodec.decode(bytes(n)));
    }

    @Test
    void decodeAcceptsTheSkippedListAsChainNodeWillPublishIt() {
        ObjectNode n = tree(CHAIN_NODE_JSON);
        ArrayNode batches = (ArrayNode) n.get("batches");
        ((ObjectNode) batches.get(0)).putArray("skipped");
        ((ObjectNode) batches.get(1)).putArray("skipped").add(0).add(2);
        BlockMessage m = BlockMessageCodec.decode(bytes(n));
        assertEquals(List.of(), m.batches().get(0).skipped());
        assertEquals(List.of(0, 2), m.batches().get(1).skipped());
        assertEquals(List.of(), m.batches().get(2).skipped());
    }

    @Test
    void encodeWritesTheFieldsChainNodePublishes() {
        assertEquals(tree(CHAIN_NODE_JSON), tree(new String(BlockMessageCodec.encode(EXPECTED), StandardCharsets.UTF_8)));
    }

    // --- round trips ---------------------------------------------------------------------------------

    @Test
    void blockRoundTrips() {
        assertEquals(EXPECTED, BlockMessageCodec.decode(BlockMessageCodec.encode(EXPECTED)));
    }

    @Test
    void blockWithSkippedPositionsRoundTrips() {
        BlockMessage m = withBatches(List.of(new BlockMessage.Batch(120, 40, 2, List.of(1)),
                new BlockMessage.Batch(121, 42, 0, List.of(0, 1, 2)), new BlockMessage.Batch(122, 42, 3)));
        assertEquals(m, BlockMessageCodec.decode(BlockMessageCodec.encode(m)));
    }

    @Test
    void blockWithoutBatchesRoundTripsToAnEmptyList() {
        BlockMessage m = withBatches(null);
        assertEquals(List.of(), m.batches());
        assertEquals(m, BlockMessageCodec.decode(BlockMessageCodec.encode(m)));
    }

    @Test
    void emptySkippedListIsOmittedFromJson() {
        JsonNode batch = tree(new String(BlockMessageCodec.encode(EXPECTED), StandardCharsets.UTF_8)).get("batches").get(0);
        assertFalse(batch.has("skipped"), batch::toString);
        JsonNode explicit = tree(new String(BlockMessageCodec.encode(
                withBatches(List.of(new BlockMessage.Batch(120, 40, 2, List.of())))), StandardCharsets.UTF_8))
                .get("batches").get(0);
        assertFalse(explicit.has("skipped"), explicit::toString);
    }

    @Test
    void nonEmptySkippedListIsIncludedInJson() {
        BlockMessage m = withBatches(List.of(new BlockMessage.Batch(120, 40, 2, List.of(1, 3))));
        JsonNode batch = tree(new String(BlockMessageCodec.encode(m), StandardCharsets.UTF_8)).get("batches").get(0);
        assertTrue(batch.has("skipped"), batch::toString);
        assertEquals(node("[1,3]"), batch.get("skipped"));
    }

    // --- invalid fixtures ----------------------------------------------------------------------------

    @Test
    void notJsonIsRefused() {
        assertEquals("block.json", violation(utf8(CHAIN_NODE_JSON.substring(0, 40))).code());
        assertEquals("block.json", violation(utf8("not json")).code());
    }

    @Test
    void jsonArrayIsRefused() {
        assertEquals("block.json", violation(utf8("[" + CHAIN_NODE_JSON + "]")).code());
    }

    @Test
    void wrongFieldTypeIsRefused() {
        assertCode("block.json", n -> n.put("leavesFromOffset", "one hundred twenty"));
        assertCode("block.json", n -> n.put("batches", "none"));
    }

    @Test
    void missingHeaderIsRefused() {
        assertCode("block.fields", n -> n.remove("header"));
        assertCode("block.fields", n -> n.putNull("header"));
    }

    @Test
    void missingOrEmptyCheckpointIsRefused() {
        assertCode("block.fields", n -> n.remove("checkpoint"));
        assertCode("block.fields", n -> n.put("checkpoint", ""));
    }

    @Test
    void jsonNullIsRefused() {
        assertEquals("block.fields", violation(utf8("null")).code());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static BlockMessage withBatches(List<BlockMessage.Batch> batches) {
        return new BlockMessage(EXPECTED.origin(), EXPECTED.header(), EXPECTED.blockHash(), EXPECTED.leavesFromOffset(),
                EXPECTED.leavesToOffset(), batches, EXPECTED.checkpoint(), EXPECTED.signer());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode node(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) node(json);
    }

    private static byte[] bytes(ObjectNode n) {
        return utf8(n.toString());
    }

    private static ContractViolation violation(byte[] value) {
        return assertThrows(ContractViolation.class, () -> BlockMessageCodec.decode(value));
    }

    private static void assertCode(String code, Consumer<ObjectNode> mutation) {
        ObjectNode n = tree(CHAIN_NODE_JSON);
        mutation.accept(n);
        ContractViolation v = violation(bytes(n));
        assertEquals(code, v.code(), () -> n + " -> " + v.getMessage());
    }
}
