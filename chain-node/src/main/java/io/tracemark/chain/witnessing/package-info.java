/**
 * Getting this log's checkpoints witnessed: a C2SP tlog-witness client (https://c2sp.org/tlog-witness)
 * per configured witness submits each new checkpoint with a consistency proof from the size the
 * witness last cosigned, and merges the verified {@code cosignature/v1} lines it returns into the
 * checkpoint this replica serves. Sealing and serving never wait for a witness.
 */
package io.tracemark.chain.witnessing;
