package io.tracemark.testsupport;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** W3C Trace Context {@code traceparent} values for tests: new ones, and the checked ids of those a service wrote. */
public final class Traceparents {
    /** W3C Trace Context §3.2.2: version 00, 32 lower-hex trace id, 16 lower-hex parent id, 2-hex flags. */
    private static final Pattern VERSION_00 = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Traceparents() {
    }

    /** A {@code traceparent} of a new sampled trace, as a caller that traces would send. */
    public static String newSampled() {
        byte[] ids = new byte[24];
        RANDOM.nextBytes(ids);
        String hex = HexFormat.of().formatHex(ids);
        return "00-" + hex.substring(0, 32) + "-" + hex.substring(32) + "-01";
    }

    /**
     * {@code traceId-spanId} of {@code traceparent}, asserting that it is a valid version-00 value: the form, and ids
     * that are not all zeros (W3C Trace Context §3.2.2.3, §3.2.2.4).
     */
    public static String ids(String traceparent) {
        Matcher m = VERSION_00.matcher(traceparent == null ? "" : traceparent);
        assertTrue(m.matches(), "a W3C version-00 traceparent: " + traceparent);
        assertNotEquals("0".repeat(32), m.group(1), "trace id is not all zeros: " + traceparent);
        assertNotEquals("0".repeat(16), m.group(2), "span id is not all zeros: " + traceparent);
        return m.group(1) + "-" + m.group(2);
    }
}
