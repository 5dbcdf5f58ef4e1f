/**
 * Tracemark receipts: one offline-verifiable JSON bundle per anchored record (record digest and
 * canonical bytes, C2SP tlog-proof, block header, RFC 3161 token) with its builder and verifier.
 */
package io.tracemark.proofs.receipt;
