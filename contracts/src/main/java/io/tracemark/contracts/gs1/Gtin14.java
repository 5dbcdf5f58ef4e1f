package io.tracemark.contracts.gs1;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GTINs as every service stores and compares them: 14 digits (GS1 General Specifications §3.3.2), the
 * GS1 mod-10 check digit checked (§7.9.1), and the GS1 Company Prefix that says who owns them (§1.4.4).
 */
public final class Gtin14 {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern COMPANY_PREFIX = Pattern.compile("[0-9]{4,12}");

    private Gtin14() {
    }

    /**
     * A GTIN-8/12/13/14 zero-padded to 14 digits, or an {@link IllegalArgumentException} whose message is a
     * stable code ({@code gtin.not-digits}, {@code gtin.length}, {@code gtin.check-digit}), a colon and the reason.
     */
    public static String normalise(String gtin) {
        if (gtin == null || !DIGITS.matcher(gtin).matches()) {
            throw new IllegalArgumentException("gtin.not-digits: a GTIN has only digits");
        }
        int n = gtin.length();
        if (n != 8 && n != 12 && n != 13 && n != 14) {
            throw new IllegalArgumentException("gtin.length: a GTIN has 8, 12, 13 or 14 digits, not " + n);
        }
        int expected = checkDigit(gtin.substring(0, n - 1));
        if (expected != gtin.charAt(n - 1) - '0') {
            throw new IllegalArgumentException("gtin.check-digit: check digit should be " + expected + ", not " + gtin.charAt(n - 1));
        }
        return "0".repeat(14 - n) + gtin;
    }

    /** The 14-digit form of {@code gtin}, or empty when it is not a valid GTIN. */
    public static Optional<String> parse(String gtin) {
        try {
            return Optional.of(normalise(gtin));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The GS1 mod-10 check digit of {@code body} (the digits before it): weights 3, 1, 3, … from the right. */
    public static int checkDigit(CharSequence body) {
        int sum = 0;
        boolean three = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            sum += (body.charAt(i) - '0') * (three ? 3 : 1);
            three = !three;
        }
        return (10 - sum % 10) % 10;
    }

    /** Whether {@code prefix} has the shape of a GS1 Company Prefix: 4 to 12 digits. */
    public static boolean isCompanyPrefix(String prefix) {
        return prefix != null && COMPANY_PREFIX.matcher(prefix).matches();
    }

    /**
     * Whether the GTIN-14 {@code gtin14} was allocated under one of {@code companyPrefixes}: the digits after
     * its indicator digit start with the prefix. A UPC's prefix is written in its GS1 form, with a leading 0.
     */
    public static boolean ownedBy(String gtin14, Collection<String> companyPrefixes) {
        if (gtin14 == null || gtin14.length() != 14) {
            return false;
        }
        String afterIndicator = gtin14.substring(1);
        return companyPrefixes.stream().anyMatch(p -> isCompanyPrefix(p) && afterIndicator.startsWith(p));
    }
}
