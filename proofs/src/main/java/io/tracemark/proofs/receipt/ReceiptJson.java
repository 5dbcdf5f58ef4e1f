package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
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
            Receipt r = MAPPER.readValue(json, Receipt.class);
            if (r == null || r.record() == null || r.block() == null || r.tlogProof() == null) {
                throw new IllegalArgumentException("receipt lacks record, block or tlogProof");
            }
            return r;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a receipt: " + e.getMessage(), e);
        }
    }

    /** The shared mapper configuration, for embedding receipts in larger documents. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }
}
