package io.tracemark.verify.resolver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** GS1 Digital Link URI syntax 1.4 paths for a GTIN, lot and optional serial. */
public final class DigitalLinks {
    private DigitalLinks() {
    }

    /** {@code /01/<gtin>/10/<lot>[/21/<serial>]}, percent-encoding the lot and serial. */
    public static String path(String gtin, String lot, String serial) {
        String p = "/01/" + gtin + "/10/" + enc(lot);
        return serial == null ? p : p + "/21/" + enc(serial);
    }

    /** The full URI under {@code base} (no trailing slash). */
    public static String uri(String base, String gtin, String lot, String serial) {
        return base + path(gtin, lot, serial);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
