package io.tracemark.contracts.records;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordContentTest {
    @Test
    void aRecordsStatedVisibilityDecides() {
        assertTrue(RecordContent.isPublic("media.work", "public"));
        assertFalse(RecordContent.isPublic("product.batch", "private"));
    }

    @Test
    void recordsStoredBeforeVisibilityArePublicOnlyWhenTheyAreProductBatches() {
        assertTrue(RecordContent.isPublic("product.batch", null));
        assertFalse(RecordContent.isPublic("epcis.event", null));
        assertFalse(RecordContent.isPublic("media.work", null));
    }

    @Test
    void onlyPublicAndPrivateAreVisibilities() {
        assertTrue(RecordContent.isValid("public") && RecordContent.isValid("private"));
        assertFalse(RecordContent.isValid("Public") || RecordContent.isValid("") || RecordContent.isValid(null));
    }
}
