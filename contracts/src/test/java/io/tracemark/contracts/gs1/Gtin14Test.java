package io.tracemark.contracts.gs1;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gtin14Test {
    @Test
    void padsEveryGtinLengthToFourteenDigits() {
        assertEquals("00000096385074", Gtin14.normalise("96385074"));
        assertEquals("00036000291452", Gtin14.normalise("036000291452"));
        assertEquals("04006381333931", Gtin14.normalise("4006381333931"));
        assertEquals("10614141000415", Gtin14.normalise("10614141000415"));
    }

    @Test
    void refusesAWrongCheckDigitWithAStableCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gtin14.normalise("4006381333932"));
        assertTrue(e.getMessage().startsWith("gtin.check-digit: check digit should be 1"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gtin14.normalise("400638133393")).getMessage()
                .startsWith("gtin.check-digit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gtin14.normalise("40063813339")).getMessage()
                .startsWith("gtin.length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gtin14.normalise("40063813339 1")).getMessage()
                .startsWith("gtin.not-digits"));
        assertEquals(Optional.empty(), Gtin14.parse(null));
    }

    @Test
    void aGtinBelongsToTheCompanyPrefixAfterItsIndicatorDigit() {
        assertTrue(Gtin14.ownedBy("04006381333931", List.of("4006381")));
        assertTrue(Gtin14.ownedBy("14006381333938", List.of("4006381")), "another packaging level of the same brand");
        assertFalse(Gtin14.ownedBy("04006381333931", List.of("4006382")));
        assertFalse(Gtin14.ownedBy("04006381333931", List.of("0400638")), "the indicator digit is not part of the prefix");
        assertTrue(Gtin14.ownedBy("00036000291452", List.of("0036000")), "a UPC prefix in its GS1 form");
        assertFalse(Gtin14.ownedBy("04006381333931", List.of()));
        assertFalse(Gtin14.ownedBy("04006381333931", List.of("400")), "too short to be a company prefix");
    }
}
