/**
 * C2SP tlog-proof (https://c2sp.org/tlog-proof): self-contained, offline-verifiable proofs that
 * an entry is in a transparency log, combining an inclusion proof with a signed checkpoint.
 */
package io.tracemark.proofs.tlogproof;
