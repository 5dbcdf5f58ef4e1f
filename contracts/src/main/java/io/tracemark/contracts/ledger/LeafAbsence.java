package io.tracemark.contracts.ledger;

/**
 * The members the chain node adds to its {@code 404 not-present} problem for {@code GET /v1/leaves?hash=}: the
 * tree the answer covers and the replica's signed statement that no leaf of it has the hash (docs/absence.md).
 * Every leaf of a checkpoint is in a sealed block, so the hash stays absent for as long as the log's latest
 * checkpoint has {@code treeSize} leaves: verify caches the answer on that.
 *
 * @param treeSize leaves of the tree the statement covers (the latest checkpoint's size when it was made)
 * @param root     RFC 9162 root of that tree, standard base64
 * @param absence  C2SP signed note of the statement ({@code tracemark.dev/leaf-absence/v1})
 */
public record LeafAbsence(long treeSize, String root, String absence) {
}
