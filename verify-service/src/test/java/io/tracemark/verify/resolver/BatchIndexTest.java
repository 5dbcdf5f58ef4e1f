package io.tracemark.verify.resolver;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The resolver index answers what the store filters on GTIN and lot, inputs and EPCs answered. */
class BatchIndexTest {
    static final String GTIN = "04006381333931";
    static final String OTHER = "00000040063812";

    @Test
    void batchesAreFoundByGtinAndLotAndByTheInputsTheyWereMadeFromOnceEach() {
        BatchIndex index = new BatchIndex();
        Document drink = new Document("gtin", GTIN).append("lot", "DRINK")
                .append("inputs", List.of(new Document("gtin", OTHER).append("lot", "OATS")));
        index.add("b1", "product.batch", drink);
        index.add("b1", "product.batch", drink);
        index.add("b2", "product.batch", new Document("gtin", GTIN).append("lot", "DRINK"));
        assertEquals(List.of("b1", "b2"), index.batches(GTIN, "DRINK"));
        assertEquals(List.of("b1"), index.outputsOf(OTHER, "OATS"));
        assertEquals(List.of(), index.batches(OTHER, "OATS"));
        assertEquals(List.of(), index.outputsOf(GTIN, "DRINK"));
    }

    @Test
    void eventsAreFoundByAnyOfTheirGtinsWithAnyOfTheirLotsAndByEachEpcWithoutRepeats() {
        BatchIndex index = new BatchIndex();
        String epc = "https://id.gs1.org/01/" + GTIN + "/21/S1";
        index.add("e1", "epcis.event", new Document("gtin", List.of(GTIN, OTHER)).append("lot", List.of("A", "B"))
                .append("epcs", List.of(epc)));
        index.add("e2", "epcis.event", new Document("epcs", List.of(epc)));
        assertEquals(List.of("e1"), index.events(OTHER, "A", null));
        assertEquals(List.of("e1"), index.events(GTIN, "B", null));
        assertEquals(List.of("e1", "e2"), index.events(GTIN, "A", epc));
        assertEquals(List.of("e1", "e2"), index.events(GTIN, "NONE", epc));
    }

    @Test
    void recordsOfOtherTypesAndRecordsWithoutKeysAreNotIndexed() {
        BatchIndex index = new BatchIndex();
        index.add("w1", "media.work", new Document("gtin", GTIN).append("lot", "X"));
        index.add("b1", "product.batch", null);
        index.add("b2", "product.batch", new Document("lot", "X"));
        assertEquals(0, index.size());
    }
}
