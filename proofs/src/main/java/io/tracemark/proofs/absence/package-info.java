/**
 * Verifiable absence: a log replica's signed statement that no leaf of its tree at a given size and root has a
 * given record digest or leaf hash, and the audit that proves such a statement false against the published tiles.
 */
package io.tracemark.proofs.absence;
