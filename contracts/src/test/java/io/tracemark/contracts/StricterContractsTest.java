package io.tracemark.contracts;

import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.events.EventCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Inputs that are JSON-valid but not what a producer of the contract sends. */
class StricterContractsTest {
    private static final String HEX = "ab".repeat(32);
    private static final String VALID_REQUEST = new String(AnchorRequestCodec.encode(new AnchorRequest("r1", "acme",
            "product.batch", HEX, Instant.parse("2026-12-01T10:00:00Z"), List.of("04006381333931"), null)),
            StandardCharsets.UTF_8);
    private static final String VALID_BLOCK = "{\"origin\":\"o\",\"header\":{\"height\":1,\"previousHash\":\"" + HEX
            + "\",\"firstLeafIndex\":4,\"leafCount\":2,\"treeSize\":6,\"root\":\"" + HEX + "\",\"timeMillis\":1},"
            + "\"blockHash\":\"" + HEX + "\",\"leavesFromOffset\":1,\"leavesToOffset\":2,"
            + "\"batches\":[{\"offset\":1,\"firstLeafIndex\":4,\"count\":2,\"skipped\":[1]}],\"checkpoint\":\"c\",\"signer\":\"s\"}";

    private static String code(Runnable r) {
        return assertThrows(ContractViolation.class, r::run).code();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rejectsAnAnchorRequestFollowedByTrailingText() {
        assertEquals("anchor-request.json", code(() -> AnchorRequestCodec.decode(utf8(VALID_REQUEST + " {}"))));
    }

    @Test
    void rejectsGtinsThatAreNotAnArrayOfFourteenDigitStrings() {
        assertEquals("anchor-request.gtins", code(() -> AnchorRequestCodec.decode(utf8(
                VALID_REQUEST.replace("[\"04006381333931\"]", "{\"k\":9506000134352}")))));
        assertEquals("anchor-request.gtins", code(() -> AnchorRequestCodec.decode(utf8(
                VALID_REQUEST.replace("[\"04006381333931\"]", "[4006381333931]")))));
        assertEquals("anchor-request.gtins", code(() -> AnchorRequestCodec.decode(utf8(
                VALID_REQUEST.replace("[\"04006381333931\"]", "[\"4006381333931\"]")))));
    }

    @Test
    void rejectsAnEventWhoseIdIsNotAString() {
        String event = "{\"id\":{},\"type\":\"record.accepted\",\"timestamp\":\"2026-12-01T10:00:00Z\",\"tenant\":\"acme\",\"data\":{}}";
        assertEquals("event.fields", code(() -> EventCodec.decode(utf8(event), h -> null)));
    }

    @Test
    void decodesAValidBlockWithSkippedPositions() {
        BlockMessage m = BlockMessageCodec.decode(utf8(VALID_BLOCK));
        assertEquals(OptionalLong.of(4), m.batches().get(0).leafIndexOf(0));
        assertEquals(OptionalLong.empty(), m.batches().get(0).leafIndexOf(1));
        assertEquals(OptionalLong.of(5), m.batches().get(0).leafIndexOf(2));
        assertEquals(OptionalLong.empty(), m.batches().get(0).leafIndexOf(3), "beyond the record's digests");
    }

    @Test
    void rejectsSkippedPositionsThatAreNotStrictlyAscending() {
        assertEquals("block.json", code(() -> BlockMessageCodec.decode(utf8(VALID_BLOCK.replace("[1]", "[1,1]")))));
        assertEquals("block.json", code(() -> BlockMessageCodec.decode(utf8(VALID_BLOCK.replace("[1]", "[-1]")))));
    }

    @Test
    void rejectsABlockHeaderWithoutHashesOrWithInconsistentSizes() {
        assertEquals("block.header", code(() -> BlockMessageCodec.decode(utf8("{\"header\":{},\"checkpoint\":\"x\"}"))));
        assertEquals("block.header", code(() -> BlockMessageCodec.decode(utf8(VALID_BLOCK.replace("\"treeSize\":6", "\"treeSize\":7")))));
    }
}
