package io.tracemark.attest.events;

import io.tracemark.attest.ledger.ChainNodeClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How many replica signatures a block's checkpoint should carry, and how many replicas are alive to add theirs:
 * what {@link io.tracemark.attest.blocks.BlockCopies} waits for. Used from the anchoring thread only.
 */
final class ReplicaSigners {
    private static final Logger LOG = Logger.getLogger(ReplicaSigners.class);
    private static final Duration KEYS_REFRESH = Duration.ofSeconds(10);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final ChainNodeClient chain;
    private final int configured;
    private final Duration lateSignatureWait;
    /** Replicas seen publishing blocks lately, by key name: a replica the chain-node's key list lacks still counts. */
    private final Map<String, Long> recent = new HashMap<>();
    private int keys = 1;
    private long keysAt;

    ReplicaSigners(ChainNodeClient chain, int configured, Duration lateSignatureWait) {
        this.chain = chain;
        this.configured = configured;
        this.lateSignatureWait = lateSignatureWait;
    }

    /** A replica published a copy of a block now. */
    void seen(String signer) {
        recent.put(signer, System.nanoTime());
    }

    /**
     * Replica signatures a complete checkpoint carries: configured ({@code expected-signatures}, what production
     * and the local stack set), or else the larger of the keys the log publishes at {@code /v1/keys} (which a
     * replica learns by trust on first use, so it may lag at start-up) and the replicas seen publishing blocks
     * in the last ten minutes.
     */
    int expected() {
        if (configured > 0) {
            return configured;
        }
        long now = System.nanoTime();
        if (keysAt == 0 || now - keysAt > KEYS_REFRESH.toNanos()) {
            try {
                keys = Math.max(1, chain.verifierKeys().size());
            } catch (RuntimeException e) {
                LOG.debugf("chain-node keys unavailable, expecting %d signatures: %s", keys, e.toString());
            }
            keysAt = now;
            recent.values().removeIf(seen -> now - seen > FORGET_AFTER.toNanos());
        }
        return Math.max(keys, recent.size());
    }

    /** Replicas that published a block copy within {@code late-signature-wait} of {@code now}: alive, if perhaps behind. */
    int live(long now) {
        long window = lateSignatureWait.toNanos();
        int live = 0;
        for (long seen : recent.values()) {
            if (now - seen < window) {
                live++;
            }
        }
        return live;
    }
}
