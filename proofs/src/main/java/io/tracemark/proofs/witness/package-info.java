/**
 * C2SP tlog-witness (https://c2sp.org/tlog-witness) wire formats shared by witness clients and
 * servers: the {@code add-checkpoint} request body and the {@code text/x.tlog.size} conflict body.
 */
package io.tracemark.proofs.witness;
