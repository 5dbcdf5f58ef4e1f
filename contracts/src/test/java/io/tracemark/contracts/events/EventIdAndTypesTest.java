package io.tracemark.contracts.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deterministic event ids and the type filters of subscriptions and the pull cursor. */
class EventIdAndTypesTest {

    // --- Event.idOf ----------------------------------------------------------------------------------

    @Test
    void idOfIsDeterministic() {
        assertEquals(Event.idOf(EventTypes.RECORD_ANCHORED, "rec_1"), Event.idOf(EventTypes.RECORD_ANCHORED, "rec_1"));
    }

    @Test
    void idOfIsEvtAndTheFirst12BytesOfSha256OfTypeColonSubjectInHex() throws Exception {
        for (String[] ts : new String[][]{{"record.accepted", "rec_1"}, {"record.anchored", "rec_01HZX3K8QF"},
                {"webhook.test", "msg_ü🙂"}, {"claim.conflict", ""}, {"record.rejected", "a:b"}}) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest((ts[0] + ":" + ts[1]).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder("evt_");
            for (byte b : Arrays.copyOf(sha, 12)) {
                hex.append(String.format("%02x", b & 0xff));
            }
            String id = Event.idOf(ts[0], ts[1]);
            assertEquals(hex.toString(), id, Arrays.toString(ts));
            assertTrue(id.matches("evt_[0-9a-f]{24}"), id);
        }
    }

    @Test
    void idOfOfAKnownTypeAndSubject() {
        // SHA-256("record.accepted:rec_1"), first 12 bytes, computed independently with sha256sum
        assertEquals("evt_f60e7b4f6447115f575b9e8a", Event.idOf("record.accepted", "rec_1"));
    }

    @Test
    void idOfDiffersByTypeAndBySubject() {
        String id = Event.idOf(EventTypes.RECORD_ACCEPTED, "rec_1");
        assertNotEquals(id, Event.idOf(EventTypes.RECORD_ANCHORED, "rec_1"));
        assertNotEquals(id, Event.idOf(EventTypes.RECORD_ACCEPTED, "rec_2"));
    }

    // --- EventTypes ----------------------------------------------------------------------------------

    @Test
    void starMatchesEveryType() {
        assertTrue(EventTypes.validFilter("*"));
        for (String type : EventTypes.ALL) {
            assertTrue(EventTypes.matches("*", type), type);
        }
    }

    @Test
    void prefixWildcardMatchesOnlyItsFamily() {
        assertTrue(EventTypes.validFilter("record.*"));
        assertTrue(EventTypes.matches("record.*", EventTypes.RECORD_ACCEPTED));
        assertTrue(EventTypes.matches("record.*", EventTypes.RECORD_REJECTED));
        assertTrue(EventTypes.matches("record.*", EventTypes.RECORD_ANCHORED));
        assertFalse(EventTypes.matches("record.*", EventTypes.CLAIM_CONFLICT));
        assertFalse(EventTypes.matches("record.*", EventTypes.WEBHOOK_TEST));
        assertFalse(EventTypes.matches("record.*", "records.accepted"), "the dot is part of the prefix");
        assertFalse(EventTypes.matches("record.*", "record"));
    }

    @Test
    void exactFilterMatchesOnlyThatType() {
        for (String filter : EventTypes.ALL) {
            assertTrue(EventTypes.validFilter(filter), filter);
            for (String type : EventTypes.ALL) {
                assertEquals(filter.equals(type), EventTypes.matches(filter, type), filter + " vs " + type);
            }
        }
        assertFalse(EventTypes.matches("record.accepted", "record.accepted.v2"));
    }

    @Test
    void invalidFiltersAreRefused() {
        for (String bad : new String[]{null, "", " ", "**", "record.", "record*", "record.**", "*.accepted",
                "Record.accepted", "record accepted", ".record", "record..accepted", "record.*.x", "9record"}) {
            assertFalse(EventTypes.validFilter(bad), String.valueOf(bad));
        }
    }

    @Test
    void matchesAnyWithNoFiltersMatchesEverything() {
        assertTrue(EventTypes.matchesAny(null, EventTypes.WEBHOOK_TEST));
        assertTrue(EventTypes.matchesAny(List.of(), EventTypes.WEBHOOK_TEST));
        assertTrue(EventTypes.matchesAny(List.of("claim.conflict", "record.*"), EventTypes.RECORD_ANCHORED));
        assertFalse(EventTypes.matchesAny(List.of("claim.conflict", "record.*"), EventTypes.ENDPOINT_DISABLED));
    }
}
