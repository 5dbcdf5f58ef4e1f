package io.tracemark.ingest.product;

import io.tracemark.contracts.gs1.Gtin14;

/**
 * GS1 identifier rules: check digits and the character set allowed in lot numbers.
 *
 * @see <a href="https://www.gs1.org/services/how-calculate-check-digit-manually">GS1 check digit</a>
 */
public final class Gs1 {
    private static final String AI82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private Gs1() {
    }

    /** The GS1 mod-10 check digit for the given digits (without their check digit). */
    public static int checkDigit(CharSequence body) {
        return Gtin14.checkDigit(body);
    }

    /** Whether the last digit of an all-digit string is its correct GS1 check digit. */
    public static boolean hasValidCheckDigit(String digits) {
        return digits.length() >= 2 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                && checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
    }

    /**
     * Normalises a GTIN-8/12/13/14 to 14 digits, or throws naming what is wrong.
     *
     * @throws IllegalArgumentException with a stable code as message prefix
     */
    public static String normaliseGtin(String gtin) {
        return Gtin14.normalise(gtin);
    }

    /** Whether a GLN (13 digits) has a valid check digit. */
    public static boolean isValidGln(String gln) {
        return gln != null && gln.length() == 13 && hasValidCheckDigit(gln);
    }

    /** Whether a lot/batch number uses only GS1 AI-82 characters and is 1 to 20 long (AI 10). */
    public static boolean isValidLot(String lot) {
        if (lot == null || lot.isEmpty() || lot.length() > 20) {
            return false;
        }
        for (int i = 0; i < lot.length(); i++) {
            if (AI82.indexOf(lot.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
