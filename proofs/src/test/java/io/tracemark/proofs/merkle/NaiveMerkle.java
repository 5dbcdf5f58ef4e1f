package io.tracemark.proofs.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Literal transcription of the RFC 9162 §2.1 recursive definitions (MTH, PATH, PROOF), used as an
 * independent oracle. Deliberately shares no code with the production classes, not even the
 * hasher, so a bug there cannot hide here.
 */
public final class NaiveMerkle {
    private final List<byte[]> leaves;
    private final Map<Long, byte[]> memo = new HashMap<>();

    public NaiveMerkle(List<byte[]> leaves) {
        this.leaves = leaves;
    }

    /** MTH(D[lo:hi]). */
    public byte[] mth(int lo, int hi) {
        long key = ((long) lo << 32) | hi;
        byte[] cached = memo.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] h;
        int n = hi - lo;
        if (n == 0) {
            h = sha256(new byte[0]);
        } else if (n == 1) {
            h = sha256(concat(new byte[] {0}, leaves.get(lo)));
        } else {
            int k = largestPowerOfTwoBelow(n);
            h = sha256(concat(new byte[] {1}, mth(lo, lo + k), mth(lo + k, hi)));
        }
        memo.put(key, h);
        return h;
    }

    /** PATH(m, D[lo:hi]) with m relative to lo. */
    public List<byte[]> path(int m, int lo, int hi) {
        List<byte[]> out = new ArrayList<>();
        if (hi - lo <= 1) {
            return out;
        }
        int k = largestPowerOfTwoBelow(hi - lo);
        if (m < k) {
            out.addAll(path(m, lo, lo + k));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]). */
    public List<byte[]> proof(int m, int n) {
        return subproof(m, 0, n, true);
    }

    private List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (m == n) {
            if (!b) {
                out.add(mth(lo, hi));
            }
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
