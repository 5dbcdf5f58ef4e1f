package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** Reads and writes {@link Receipt}s as JSON with Jackson; unknown fields are refused so nothing is silently ignored. */
public final class ReceiptJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private ReceiptJson() {
    }

    /** The receipt as compact JSON text. */
    public static String write(Receipt receipt) {
        try {
            return MAPPER.writeValueAsString(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("receipt is not serialisable", e);
        }
    }

    /**
     * Parses a receipt.
     *
     * @throws IllegalArgumentException if the text is not a receipt JSON document
     */
    public static Receipt read(byte[] json) {
        try {
            return complete(MAPPER.readValue(json, Receipt.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a receipt: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a receipt from an already parsed JSON tree (e.g. the member of a request body), by the same rules
     * as {@link #read(byte[])} and without writing the tree out as text to parse it again.
     *
     * @throws IllegalArgumentException if the tree is not a receipt
     */
    public static Receipt read(JsonNode tree) {
        try {
            return complete(MAPPER.treeToValue(tree, Receipt.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a receipt: " + e.getMessage(), e);
        }
    }

    private static Receipt complete(Receipt r) {
        if (r == null || r.record() == null || r.block() == null || r.tlogProof() == null) {
            throw new IllegalArgumentException("receipt lacks record, block or tlogProof");
        }
        return r;
    }

    /** The shared mapper configuration, for embedding receipts in larger documents. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }
}
