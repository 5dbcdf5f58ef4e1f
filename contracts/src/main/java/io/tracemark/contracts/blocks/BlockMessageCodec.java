package io.tracemark.contracts.blocks;

import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON codec of {@link BlockMessage}, used by the chain node that publishes and by every reader. */
public final class BlockMessageCodec {
    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private BlockMessageCodec() {
    }

    /** UTF-8 JSON of a block message. */
    public static byte[] encode(BlockMessage m) {
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a block message; a {@link ContractViolation} says what is missing. */
    public static BlockMessage decode(byte[] value) {
        BlockMessage m;
        try {
            m = Json.MAPPER.readValue(value, BlockMessage.class);
        } catch (IOException e) {
            throw new ContractViolation("block.json", "not a block message: " + e.getMessage(), e);
        }
        if (m == null || m.header() == null || m.checkpoint() == null || m.checkpoint().isEmpty()) {
            throw new ContractViolation("block.fields", "a block message needs a header and a checkpoint");
        }
        BlockMessage.Header h = m.header();
        if (!HEX64.matcher(String.valueOf(h.root())).matches() || !HEX64.matcher(String.valueOf(h.previousHash())).matches()
                || h.leafCount() <= 0 || h.treeSize() != h.firstLeafIndex() + h.leafCount()) {
            throw new ContractViolation("block.header", "block header needs 64-hex root and previousHash and"
                    + " treeSize = firstLeafIndex + leafCount with leafCount > 0");
        }
        return m;
    }
}
