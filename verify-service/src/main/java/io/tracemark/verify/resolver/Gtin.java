package io.tracemark.verify.resolver;

/** GS1 GTIN handling for Digital Link paths (GS1 General Specifications §3.2, §7.9 check digit). */
public final class Gtin {
    private Gtin() {
    }

    /** Pads a GTIN-8/12/13/14 to 14 digits, or returns null when it is not one or its check digit is wrong. */
    public static String normalise(String gtin) {
        if (gtin == null || !gtin.matches("[0-9]{8}|[0-9]{12,14}")) {
            return null;
        }
        String g = "0".repeat(14 - gtin.length()) + gtin;
        return checkDigit(g.substring(0, 13)) == g.charAt(13) - '0' ? g : null;
    }

    /** The GS1 mod-10 check digit of the digits before it: weights 3,1,3,… from the right. */
    static int checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            sum += (i % 2 == 0) ? 3 * d : d;
        }
        return (10 - sum % 10) % 10;
    }

    /** Whether a lot or serial is 1–20 characters of GS1 AI encodable character set 82. */
    public static boolean isValidLotOrSerial(String s) {
        return s != null && s.matches("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}");
    }
}
