package io.tracemark.ingest.product;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GS1 General Specifications §7.9 (check digit) and §7.11 / Figure 7.11-1 (AI 82 character set). */
class Gs1Test {

    @Test
    void computesTheCheckDigitOfTheGs1WorkedExample() {
        // GS1's "how to calculate a check digit manually" example: 629104150021 -> 3.
        assertEquals(3, Gs1.checkDigit("629104150021"));
    }

    @Test
    void normalisesEveryGtinLengthToFourteenDigits() {
        assertEquals("00000096385074", Gs1.normaliseGtin("96385074"));       // GTIN-8
        assertEquals("00036000291452", Gs1.normaliseGtin("036000291452"));   // GTIN-12 (UPC-A)
        assertEquals("04006381333931", Gs1.normaliseGtin("4006381333931"));  // GTIN-13 (EAN-13)
        assertEquals("06291041500213", Gs1.normaliseGtin("6291041500213"));  // GTIN-13
        assertEquals("10614141000415", Gs1.normaliseGtin("10614141000415")); // GTIN-14
    }

    @Test
    void rejectsAWrongCheckDigitNamingTheRightOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gs1.normaliseGtin("4006381333932"));
        assertEquals("gtin.check-digit: check digit should be 1, not 2", e.getMessage());
    }

    @Test
    void rejectsGtinsOfOtherLengthsOrWithNonDigits() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gs1.normaliseGtin("400638133393"))
                .getMessage().startsWith("gtin.check-digit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gs1.normaliseGtin("40063813339"))
                .getMessage().startsWith("gtin.length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gs1.normaliseGtin("400638133393A"))
                .getMessage().startsWith("gtin.not-digits"));
    }

    @Test
    void checksGlnCheckDigits() {
        assertTrue(Gs1.isValidGln("0614141000005"));
        assertTrue(Gs1.isValidGln("4012345000009"));
        assertFalse(Gs1.isValidGln("4012345000008"));
        assertFalse(Gs1.isValidGln("401234500000"));
    }

    @Test
    void allowsOnlyAi82CharactersInLotsOfAtMostTwentyCharacters() {
        assertTrue(Gs1.isValidLot("LOT-2026/11A"));
        assertTrue(Gs1.isValidLot("!\"%&'()*+,-./:;<=>?_"));
        assertFalse(Gs1.isValidLot("LOT 1"));
        assertFalse(Gs1.isValidLot("LOT#1"));
        assertFalse(Gs1.isValidLot("LÖT1"));
        assertFalse(Gs1.isValidLot(""));
        assertFalse(Gs1.isValidLot("123456789012345678901"));
    }
}
