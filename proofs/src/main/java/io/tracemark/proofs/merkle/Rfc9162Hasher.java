package io.tracemark.proofs.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 Merkle tree hashing with RFC 9162 §2.1.1 domain separation.
 *
 * <p>An instance reuses one {@link MessageDigest} and writes into caller-supplied buffers so that
 * ledgers hashing millions of leaves per second do not allocate per hash. Instances are
 * <b>not</b> thread-safe; the static methods are, and allocate their results.
 */
public final class Rfc9162Hasher {
    /** Size in bytes of every hash in the tree. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final ThreadLocal<Rfc9162Hasher> SHARED = ThreadLocal.withInitial(Rfc9162Hasher::new);
    private static final byte[] EMPTY_ROOT = newSha256().digest();

    private final MessageDigest sha256 = newSha256();

    /** Creates a hasher with its own digest state; confine it to one thread. */
    public Rfc9162Hasher() {
    }

    /**
     * Writes SHA-256(0x00 ‖ src[off..off+len)) to out[outOff..outOff+32) (RFC 9162 §2.1.1 leaf hash).
     */
    public void leafHashInto(byte[] src, int off, int len, byte[] out, int outOff) {
        sha256.update(LEAF_PREFIX);
        sha256.update(src, off, len);
        finish(out, outOff);
    }

    /**
     * Writes SHA-256(0x01 ‖ left ‖ right) to out (RFC 9162 §2.1.1 interior node hash).
     *
     * <p>{@code out} may alias either input: both are consumed before the digest is written.
     */
    public void nodeHashInto(byte[] left, int leftOff, byte[] right, int rightOff, byte[] out, int outOff) {
        sha256.update(NODE_PREFIX);
        sha256.update(left, leftOff, HASH_SIZE);
        sha256.update(right, rightOff, HASH_SIZE);
        finish(out, outOff);
    }

    /** Returns SHA-256(0x00 ‖ data), the RFC 9162 §2.1.1 leaf hash. */
    public static byte[] leafHash(byte[] data) {
        byte[] out = new byte[HASH_SIZE];
        SHARED.get().leafHashInto(data, 0, data.length, out, 0);
        return out;
    }

    /** Returns SHA-256(0x01 ‖ left ‖ right), the RFC 9162 §2.1.1 interior node hash. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        Hashes.requireHash(left, "left hash");
        Hashes.requireHash(right, "right hash");
        byte[] out = new byte[HASH_SIZE];
        SHARED.get().nodeHashInto(left, 0, right, 0, out, 0);
        return out;
    }

    /** Returns MTH({}) = SHA-256(""), the root of the empty tree (RFC 9162 §2.1.1). */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    private void finish(byte[] out, int outOff) {
        try {
            sha256.digest(out, outOff, HASH_SIZE);
        } catch (DigestException e) {
            throw new IllegalArgumentException("output buffer too small for a SHA-256 hash", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
        }
    }
}
