package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EpcisIdentifiersTest {

    @Test
    void sgtinDenotesTheGtinWithItsIndicatorDigitFirst() {
        // GS1 TDS example: urn:epc:id:sgtin:0614141.112345.400 is GTIN 10614141123459.
        assertEquals(new EpcisIdentifiers.Batch("10614141123459", null),
                EpcisIdentifiers.batchOf("urn:epc:id:sgtin:0614141.112345.400"));
    }

    @Test
    void lgtinAndDigitalLinkDenoteGtinAndLot() {
        assertEquals(new EpcisIdentifiers.Batch("04012345111118", "LOT%/1"),
                EpcisIdentifiers.batchOf("urn:epc:class:lgtin:4012345.011111.LOT%25%2F1"));
        assertEquals(new EpcisIdentifiers.Batch("09521234543213", "ABC1"),
                EpcisIdentifiers.batchOf("https://id.gs1.org/01/09521234543213/10/ABC1"));
        assertEquals(new EpcisIdentifiers.Batch("09521234543213", null),
                EpcisIdentifiers.batchOf("https://example.com/01/09521234543213/21/7"));
    }

    @Test
    void otherIdentifiersAndBadCheckDigitsDenoteNoBatch() {
        assertNull(EpcisIdentifiers.batchOf("urn:epc:id:sscc:0614141.1234567890"));
        assertNull(EpcisIdentifiers.batchOf("https://id.gs1.org/01/09521234543214/10/ABC1"));
    }

    @Test
    void collectsEveryEpcAndClassOfAnEventOnce() throws Exception {
        var ev = new ObjectMapper().readTree("""
                {"parentID":"urn:epc:id:sscc:0614141.1234567890",
                 "childEPCs":["urn:epc:id:sgtin:0614141.112345.400","urn:epc:id:sgtin:0614141.112345.400"],
                 "childQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.011111.L1","quantity":3}]}""");
        assertEquals(List.of("urn:epc:id:sscc:0614141.1234567890", "urn:epc:id:sgtin:0614141.112345.400",
                "urn:epc:class:lgtin:4012345.011111.L1"), EpcisIdentifiers.identifiers(ev));
    }
}
