package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFactoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SGTIN = Pattern.compile("urn:epc:id:sgtin:(\\d+)\\.(\\d+)\\.(\\d+)");

    private static RecordFactory factory(String mix) {
        return new RecordFactory(LoadOptions.fromArgs(new String[]{"--mix", mix}), 42);
    }

    /** The GTIN-14 an SGTIN URN denotes (TDS 2.1 §6.3.1): indicator digit, company prefix, rest of item reference, check digit. */
    private static String gtinOf(String sgtinUrn) {
        Matcher m = SGTIN.matcher(sgtinUrn);
        assertTrue(m.matches(), sgtinUrn);
        assertEquals(13, m.group(1).length() + m.group(2).length(), "company prefix + item reference: " + sgtinUrn);
        String body = m.group(2).charAt(0) + m.group(1) + m.group(2).substring(1);
        return body + RecordFactory.checkDigit(body);
    }

    @Test
    void theGtinsTheFactoryUsesHaveValidCheckDigits() {
        for (String gtin : RecordFactory.GTINS) {
            assertEquals(gtin.charAt(13) - '0', RecordFactory.checkDigit(gtin.substring(0, 13)), gtin);
        }
        // GS1's own example: GTIN 9506000134352 (GTIN-13) has check digit 2.
        assertEquals(2, RecordFactory.checkDigit("950600013435"));
    }

    @Test
    void epcisMultiNamesItemsOfTwoOrThreeDifferentValidGtins() throws Exception {
        RecordFactory f = factory("epcis-multi=1");
        Set<Integer> sizes = new java.util.HashSet<>();
        Set<String> eventTimes = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            RecordFactory.Generated g = f.next(i);
            assertEquals("epcis.event", g.type());
            JsonNode ev = JSON.readTree(g.payloadJson());
            assertEquals("ObjectEvent", ev.path("type").asText());
            assertEquals("OBSERVE", ev.path("action").asText());
            assertTrue(ev.path("eventTimeZoneOffset").asText().matches("[+-]\\d\\d:\\d\\d"));
            assertEquals("po", ev.path("bizTransactionList").get(0).path("type").asText());
            Set<String> gtins = new LinkedHashSet<>();
            ev.path("epcList").forEach(e -> gtins.add(gtinOf(e.asText())));
            for (String gtin : gtins) {
                assertTrue(java.util.Arrays.asList(RecordFactory.GTINS).contains(gtin), "a real GTIN: " + gtin);
            }
            sizes.add(gtins.size());
            assertEquals(2 * gtins.size(), ev.path("epcList").size(), "two serials per GTIN");
            assertTrue(eventTimes.add(ev.path("eventTime").asText()), "eventTime (part of the event hash ID) is unique");
        }
        assertEquals(Set.of(2, 3), sizes);
    }

    @Test
    void everyKindIsValidJsonAndTheDefaultMixIsUnchanged() throws Exception {
        assertEquals(Map.of("batch", 6, "epcis", 3, "work", 1), LoadOptions.fromArgs(new String[0]).mix());
        RecordFactory f = factory("batch=1,epcis=1,epcis-multi=1,work=1");
        assertEquals("product.batch", f.next(0).type());
        assertEquals("epcis.event", f.next(1).type());
        assertEquals("epcis.event", f.next(2).type());
        assertEquals("media.work", f.next(3).type());
        for (int i = 0; i < 8; i++) {
            assertTrue(JSON.readTree(f.next(i).payloadJson()).isObject());
        }
    }

    @Test
    void optionsRefuseUnknownKindsAndParseTheNewFlags() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.fromArgs(new String[]{"--mix", "batch=1,epics=1"}));
        LoadOptions o = LoadOptions.fromArgs(new String[]{"--webhooks", "3", "--http-threads", "4", "--rate", "500"});
        assertEquals(3, o.webhooks());
        assertEquals(4, o.httpThreads());
        assertEquals(500, o.ratePerSecond());
        assertEquals(0, LoadOptions.fromArgs(new String[0]).webhooks());
    }
}
