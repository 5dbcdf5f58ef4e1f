/**
 * This node as a C2SP tlog-witness (https://c2sp.org/tlog-witness) for other logs: checks each
 * submitted checkpoint's signature and consistency with the latest one it cosigned, persists it,
 * and answers with a {@code cosignature/v1} (https://c2sp.org/tlog-cosignature). Plain Java, so a
 * replica serves it over Quarkus and {@link io.tracemark.chain.witness.StandaloneWitness} over the
 * JDK's HTTP server.
 */
package io.tracemark.chain.witness;
