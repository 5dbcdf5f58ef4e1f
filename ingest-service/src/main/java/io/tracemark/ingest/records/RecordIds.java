package io.tracemark.ingest.records;

import java.security.SecureRandom;

/**
 * Record ids: ULIDs (48-bit millisecond time, 80 random bits, Crockford base32), so ids sort by
 * arrival and can be generated on any replica without coordination.
 *
 * @see <a href="https://github.com/ulid/spec">ULID specification</a>
 */
public final class RecordIds {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecordIds() {
    }

    /** A new ULID for the current time. */
    public static String next() {
        return of(System.currentTimeMillis(), RANDOM);
    }

    static String of(long millis, java.util.Random random) {
        byte[] r = new byte[10];
        random.nextBytes(r);
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (r[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (r[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** Whether a string is syntactically a record id. */
    public static boolean isValid(String id) {
        return id != null && id.matches("[0-9A-HJKMNP-TV-Z]{26}");
    }
}
