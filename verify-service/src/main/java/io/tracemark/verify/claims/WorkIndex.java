package io.tracemark.verify.claims;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every registered media work's file SHA-256 and 64-bit pHash, in memory, so that a claim is answered
 * without a store round trip until its matches are known.
 *
 * <p>Near-duplicates: multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with
 * Multi-Index Hashing", CVPR 2012) over the four 16-bit chunks of the pHash. Two hashes within {@code t}
 * bits agree to within ⌊t/4⌋ bits in at least one chunk (pigeonhole), so the candidates of a query are the
 * works in the buckets of the chunk values within ⌊t/4⌋ bits of the query's (137 per chunk for t = 10);
 * each candidate's exact distance is one XOR and bit count. Four chunks suit about 2^16 to 2^22 works: at a
 * million works a bucket holds about 15, so a t = 10 query examines about 8,400 works (0.84 %); more, shorter
 * chunks would match exactly but fill every bucket (11 chunks of 6 bits: 11 × 15,600 candidates).
 *
 * <p>Exact matches: an open-addressing multimap from the file SHA-256, folded to 64 bits, to works; callers
 * compare the whole hash of the records they load. Record ids (ULIDs) are kept as two longs.
 *
 * <p>Thread-safe: queries share a read lock, additions take the write lock (in batches from the feed).
 */
public final class WorkIndex {
    /** Chunks per pHash. */
    public static final int CHUNKS = 4;
    private static final int CHUNK_BITS = 16;
    private static final int BUCKETS = 1 << CHUNK_BITS;
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private int size;
    private long[] phashes = new long[1024];
    private long[] idHigh = new long[1024];
    private long[] idLow = new long[1024];
    private final BitSet hasPhash = new BitSet();
    /** Ids that are not upper-case ULIDs, by work number (none from ingest, which issues ULIDs). */
    private final Map<Integer, String> otherIds = new HashMap<>();
    private long[] shaKeys = new long[2048];
    private int[] shaWorks = filled(2048);
    private final int[][][] buckets = new int[CHUNKS][BUCKETS][];
    private final int[][] bucketSizes = new int[CHUNKS][BUCKETS];

    /** A work within the asked distance of a query. */
    public record Hit(String recordId, int distance) {
    }

    /** The near-duplicates of a query and how many distinct works were examined to find them. */
    public record Near(List<Hit> hits, int examined) {
    }

    /** One work to index; {@code phash} is null for files that are not images. */
    public record Work(String recordId, String sha256Hex, Long phash) {
    }

    /** Adds works; a work already indexed (same record id and file SHA-256) is skipped. Returns how many were new. */
    public int addAll(List<Work> works) {
        lock.writeLock().lock();
        try {
            int added = 0;
            for (Work w : works) {
                if (addLocked(w)) {
                    added++;
                }
            }
            return added;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds one work (see {@link #addAll}). */
    public boolean add(String recordId, String sha256Hex, Long phash) {
        return addAll(List.of(new Work(recordId, sha256Hex, phash))) == 1;
    }

    private boolean addLocked(Work w) {
        long key = shaKey(w.sha256Hex());
        long[] id = ulid(w.recordId());
        for (int s = slot(key); shaWorks[s] >= 0; s = (s + 1) & (shaWorks.length - 1)) {
            if (shaKeys[s] == key && sameId(shaWorks[s], id, w.recordId())) {
                return false;
            }
        }
        int n = size;
        if (n == phashes.length) {
            int cap = n * 2;
            phashes = Arrays.copyOf(phashes, cap);
            idHigh = Arrays.copyOf(idHigh, cap);
            idLow = Arrays.copyOf(idLow, cap);
        }
        if (id == null) {
            otherIds.put(n, w.recordId());
        } else {
            idHigh[n] = id[0];
            idLow[n] = id[1];
        }
        size = n + 1;
        if (size * 2 > shaWorks.length) {
            rehash(shaWorks.length * 2);
        }
        putSha(key, n);
        if (w.phash() != null) {
            long p = w.phash();
            phashes[n] = p;
            hasPhash.set(n);
            for (int i = 0; i < CHUNKS; i++) {
                int v = chunk(p, i);
                int[] b = buckets[i][v];
                int len = bucketSizes[i][v];
                if (b == null) {
                    b = new int[4];
                } else if (len == b.length) {
                    b = Arrays.copyOf(b, len + (len >> 1) + 1);
                }
                b[len] = n;
                buckets[i][v] = b;
                bucketSizes[i][v] = len + 1;
            }
        }
        return true;
    }

    /** Record ids of the works whose file SHA-256 folds to the same 64 bits as {@code sha256Hex} (callers compare the whole hash). */
    public List<String> bySha256(String sha256Hex) {
        long key = shaKey(sha256Hex);
        lock.readLock().lock();
        try {
            List<String> out = new ArrayList<>(2);
            for (int s = slot(key); shaWorks[s] >= 0; s = (s + 1) & (shaWorks.length - 1)) {
                if (shaKeys[s] == key) {
                    out.add(idOf(shaWorks[s]));
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Works whose pHash is within {@code threshold} bits of {@code query}, closest first. */
    public Near near(long query, int threshold) {
        int radius = threshold / CHUNKS;
        int[] q = new int[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            q[i] = chunk(query, i);
        }
        List<long[]> found = new ArrayList<>();
        int[] examined = {0};
        lock.readLock().lock();
        try {
            for (int i = 0; i < CHUNKS; i++) {
                probe(i, q, q[i], 0, radius, query, threshold, found, examined);
            }
            found.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
            List<Hit> hits = new ArrayList<>(found.size());
            for (long[] f : found) {
                hits.add(new Hit(idOf((int) f[0]), (int) f[1]));
            }
            return new Near(hits, examined[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Visits bucket {@code value} of chunk {@code i}, then every value reached by flipping up to {@code left} more bits. */
    private void probe(int i, int[] q, int value, int fromBit, int left, long query, int threshold,
                       List<long[]> found, int[] examined) {
        int[] b = buckets[i][value];
        int len = bucketSizes[i][value];
        for (int k = 0; k < len; k++) {
            int w = b[k];
            if (foundEarlier(w, i, q, threshold / CHUNKS)) {
                continue;
            }
            examined[0]++;
            int d = Long.bitCount(phashes[w] ^ query);
            if (d <= threshold) {
                found.add(new long[]{w, d});
            }
        }
        if (left == 0) {
            return;
        }
        for (int bit = fromBit; bit < CHUNK_BITS; bit++) {
            probe(i, q, value ^ (1 << bit), bit + 1, left - 1, query, threshold, found, examined);
        }
    }

    /** Whether a lower chunk position already reached work {@code w}: each work is examined once per query. */
    private boolean foundEarlier(int w, int position, int[] q, int radius) {
        long p = phashes[w];
        for (int j = 0; j < position; j++) {
            if (Integer.bitCount(chunk(p, j) ^ q[j]) <= radius) {
                return true;
            }
        }
        return false;
    }

    /** Works indexed. */
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Heap bytes held by the index's arrays (object headers of 16 bytes included; record id strings of non-ULIDs not). */
    public long bytes() {
        lock.readLock().lock();
        try {
            long total = 3L * (16 + 8L * phashes.length) + 16 + 8L * shaKeys.length + 16 + 4L * shaWorks.length
                    + hasPhash.size() / 8 + CHUNKS * (16 + 4L * BUCKETS) + CHUNKS * (16 + 8L * BUCKETS);
            for (int[][] position : buckets) {
                for (int[] b : position) {
                    if (b != null) {
                        total += 16 + 4L * b.length;
                    }
                }
            }
            return total;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static int chunk(long hash, int i) {
        return (int) (hash >>> (CHUNK_BITS * (CHUNKS - 1 - i))) & (BUCKETS - 1);
    }

    private void putSha(long key, int work) {
        int s = slot(key);
        while (shaWorks[s] >= 0) {
            s = (s + 1) & (shaWorks.length - 1);
        }
        shaKeys[s] = key;
        shaWorks[s] = work;
    }

    private void rehash(int capacity) {
        long[] keys = shaKeys;
        int[] works = shaWorks;
        shaKeys = new long[capacity];
        shaWorks = filled(capacity);
        for (int s = 0; s < works.length; s++) {
            if (works[s] >= 0) {
                putSha(keys[s], works[s]);
            }
        }
    }

    private int slot(long key) {
        // SHA-256 bits are uniform already; the mix only guards against crafted prefixes sharing low bits.
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (shaWorks.length - 1);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private static long shaKey(String sha256Hex) {
        if (sha256Hex == null || sha256Hex.length() != 64) {
            throw new IllegalArgumentException("a file SHA-256 is 64 hex digits");
        }
        long key = 0;
        for (int i = 0; i < 64; i += 16) {
            key ^= Long.parseUnsignedLong(sha256Hex, i, i + 16, 16);
        }
        return key;
    }

    private boolean sameId(int work, long[] id, String recordId) {
        String other = otherIds.get(work);
        if (other != null || id == null) {
            return recordId.equals(other);
        }
        return idHigh[work] == id[0] && idLow[work] == id[1];
    }

    private String idOf(int work) {
        String other = otherIds.get(work);
        return other != null ? other : ulid(idHigh[work], idLow[work]);
    }

    /** An upper-case ULID as its 128 bits (high, low), or null when {@code id} is not one. */
    static long[] ulid(String id) {
        if (id == null || id.length() != 26) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            int d = CROCKFORD.indexOf(id.charAt(i));
            if (d < 0 || i == 0 && d > 7) {
                return null;
            }
            hi = hi << 5 | lo >>> 59;
            lo = lo << 5 | d;
        }
        return new long[]{hi, lo};
    }

    /** The ULID text of 128 bits. */
    static String ulid(long hi, long lo) {
        char[] out = new char[26];
        for (int i = 25; i >= 0; i--) {
            out[i] = CROCKFORD.charAt((int) (lo & 31));
            lo = lo >>> 5 | hi << 59;
            hi = hi >>> 5;
        }
        return new String(out);
    }
}
