package io.tracemark.chain.checkpoint;

import java.util.Base64;

/**
 * A C2SP tlog-checkpoint body (https://c2sp.org/tlog-checkpoint): origin, decimal tree size and
 * base64 root hash, one per line.
 *
 * @param origin the log's origin line
 * @param size   number of leaves
 * @param root   RFC 9162 root hash of those leaves
 */
public record Checkpoint(String origin, long size, byte[] root) {
    public Checkpoint {
        root = root.clone();
    }

    /** The note text to sign. */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Parses a checkpoint body (extension lines after the root are not used by this log). */
    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("not a checkpoint body");
        }
        byte[] root = Base64.getDecoder().decode(lines[2]);
        if (root.length != 32) {
            throw new IllegalArgumentException("checkpoint root is not 32 bytes");
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
    }

    @Override
    public byte[] root() {
        return root.clone();
    }
}
