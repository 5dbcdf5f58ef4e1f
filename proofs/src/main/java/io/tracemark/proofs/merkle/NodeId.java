package io.tracemark.proofs.merkle;

/**
 * Coordinates of a perfect subtree: {@code level} 0 is a leaf, and {@code index} counts subtrees
 * of that level from the left, so the node covers leaves [index·2^level, (index+1)·2^level).
 *
 * @param level height above the leaves
 * @param index position within the level
 */
public record NodeId(int level, long index) {
    /** Validates the coordinates. */
    public NodeId {
        if (level < 0 || level > 63 || index < 0) {
            throw new IllegalArgumentException("invalid node (" + level + ", " + index + ")");
        }
    }
}
