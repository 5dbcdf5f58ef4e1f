package io.tracemark.verify.claims;

import io.tracemark.verify.fixtures.Registry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory work index answers exactly what a brute-force scan of every work answers. */
class WorkIndexTest {
    private static final int WORKS = 30_000;

    @Test
    void nearDuplicateSearchEqualsBruteForceOnRandomHashesAtEveryThreshold() {
        Random rnd = new Random(12);
        WorkIndex index = new WorkIndex();
        List<String> ids = new ArrayList<>();
        long[] hashes = new long[WORKS];
        for (int i = 0; i < WORKS; i++) {
            // A third are close relatives of earlier works, so that every threshold has matches to find.
            hashes[i] = i > 0 && i % 3 == 0 ? flip(hashes[rnd.nextInt(i)], rnd.nextInt(14), rnd) : rnd.nextLong();
            ids.add(Registry.ulid(Instant.ofEpochMilli(1_700_000_000_000L + i)));
            index.add(ids.get(i), sha(i), hashes[i]);
        }
        for (int t = 0; t <= ClaimResource.MAX_THRESHOLD; t++) {
            for (int k = 0; k < 40; k++) {
                long q = k % 2 == 0 ? flip(hashes[rnd.nextInt(WORKS)], rnd.nextInt(t + 3), rnd) : rnd.nextLong();
                Map<String, Integer> expected = new HashMap<>();
                for (int i = 0; i < WORKS; i++) {
                    int d = Long.bitCount(hashes[i] ^ q);
                    if (d <= t) {
                        expected.put(ids.get(i), d);
                    }
                }
                WorkIndex.Near near = index.near(q, t);
                Map<String, Integer> got = new HashMap<>();
                near.hits().forEach(h -> got.put(h.recordId(), h.distance()));
                assertEquals(expected, got, "threshold " + t);
                assertEquals(near.hits().size(), got.size(), "each work is listed once");
                assertTrue(near.hits().stream().map(WorkIndex.Hit::distance).sorted().toList()
                        .equals(near.hits().stream().map(WorkIndex.Hit::distance).toList()), "closest first");
                assertTrue(near.examined() <= WORKS);
            }
        }
    }

    @Test
    void aThresholdTenQueryExaminesAboutFourTimes137BucketsWorth() {
        Random rnd = new Random(5);
        WorkIndex index = new WorkIndex();
        for (int i = 0; i < WORKS; i++) {
            index.add(Registry.ulid(Instant.now()), sha(i), rnd.nextLong());
        }
        long examined = 0;
        for (int k = 0; k < 200; k++) {
            examined += index.near(rnd.nextLong(), 10).examined();
        }
        double expected = 4 * 137 * (double) WORKS / 65536;
        double mean = examined / 200.0;
        assertTrue(mean > expected * 0.8 && mean < expected * 1.2, "examined " + mean + ", expected about " + expected);
    }

    @Test
    void exactLookupFindsEveryRegistrantOfAFileAndNothingElse() {
        WorkIndex index = new WorkIndex();
        for (int i = 0; i < 5000; i++) {
            index.add(Registry.ulid(Instant.now()), sha(i), null);
        }
        String alice = Registry.ulid(Instant.now());
        String bob = "not-a-ulid-" + alice;
        index.add(alice, sha(77_777), 42L);
        index.add(bob, sha(77_777), null);
        assertEquals(java.util.Set.of(alice, bob), java.util.Set.copyOf(index.bySha256(sha(77_777))));
        assertEquals(List.of(), index.bySha256(sha(99_999)));
        assertEquals(List.of(alice), index.near(42L, 0).hits().stream().map(WorkIndex.Hit::recordId).toList());
    }

    @Test
    void addingAWorkAgainChangesNothing() {
        WorkIndex index = new WorkIndex();
        String id = Registry.ulid(Instant.now());
        assertTrue(index.add(id, sha(1), 7L));
        assertFalse(index.add(id, sha(1), 7L));
        assertEquals(1, index.size());
        assertEquals(1, index.near(7L, 3).hits().size());
    }

    @Test
    void recordIdsSurviveTheirCompactForm() {
        for (int i = 0; i < 1000; i++) {
            String id = Registry.ulid(Instant.ofEpochMilli(i * 987_654_321L));
            long[] bits = WorkIndex.ulid(id);
            assertEquals(id, WorkIndex.ulid(bits[0], bits[1]));
        }
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", WorkIndex.ulid(-1L, -1L));
        assertEquals(null, WorkIndex.ulid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertEquals(null, WorkIndex.ulid("01hzzzzzzzzzzzzzzzzzzzzzzz"));
    }

    private static long flip(long h, int bits, Random rnd) {
        long out = h;
        while (Long.bitCount(out ^ h) < bits) {
            out ^= 1L << rnd.nextInt(64);
        }
        return out;
    }

    static String sha(int i) {
        return String.format("%064x", 0x5eedL * 1_000_003L + i);
    }
}
