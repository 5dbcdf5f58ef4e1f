/**
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature) {@code cosignature/v1} with Ed25519
 * (signature type 0x04): timestamped witness cosignatures on checkpoints, their keys, and checking a
 * checkpoint against a k-of-n witness policy.
 */
package io.tracemark.proofs.cosignature;
