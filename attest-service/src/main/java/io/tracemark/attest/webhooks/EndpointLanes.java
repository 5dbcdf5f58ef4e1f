package io.tracemark.attest.webhooks;

import org.bson.Document;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Each endpoint's cap on requests in flight: a message over the cap waits in its endpoint's backlog for a freed
 * permit, so a slow endpoint only ever holds its own permits and other endpoints never wait for it.
 */
final class EndpointLanes {
    private final int perEndpoint;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /** One endpoint's permits and the messages waiting for one. */
    static final class Lane {
        private final Semaphore permits;
        private final Queue<Document> backlog = new ConcurrentLinkedQueue<>();

        private Lane(int permits) {
            this.permits = new Semaphore(permits);
        }

        /**
         * Offers message {@code m}: returns the message that holds a permit now and must be started ({@code m}, or
         * an older waiting one), or null when every permit is in use and {@code m} waits.
         */
        Document admit(Document m) {
            if (permits.tryAcquire()) {
                return m;
            }
            backlog.add(m);
            // A permit freed between the two checks would otherwise find the backlog empty and leave m waiting.
            if (permits.tryAcquire()) {
                Document waiting = backlog.poll();
                if (waiting == null) {
                    permits.release();
                }
                return waiting;
            }
            return null;
        }

        /**
         * Frees a permit: returns the oldest waiting message, which takes the permit over and must be started, or
         * null when none waits (the permit is returned).
         */
        Document release() {
            Document waiting = backlog.poll();
            if (waiting == null) {
                permits.release();
            }
            return waiting;
        }
    }

    EndpointLanes(int perEndpoint) {
        this.perEndpoint = perEndpoint;
    }

    /** The lane of endpoint {@code subId}. */
    Lane of(String subId) {
        return lanes.computeIfAbsent(subId, k -> new Lane(perEndpoint));
    }

    /** Forgets every lane (the store keeps what is pending); attempts still in flight release into their old lane. */
    void clear() {
        lanes.clear();
    }
}
