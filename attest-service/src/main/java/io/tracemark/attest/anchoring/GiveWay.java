package io.tracemark.attest.anchoring;

/**
 * Lets background work (receipts, event dispatch) yield to anchoring: they share one MongoDB, and on an
 * embedded server every write to a collection is serialised, so a round of receipts started while
 * anchoring is behind would delay the anchors it is waiting for.
 */
public final class GiveWay {
    /** The longest a caller waits, so background work still progresses under sustained overload. */
    static final long MAX_WAIT_MILLIS = 1_000;

    private GiveWay() {
    }

    /** Waits (up to {@link #MAX_WAIT_MILLIS}) while {@code batcher} reports anchoring behind. */
    public static void toAnchoring(LeafBatcher batcher) throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        while (batcher.behind() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
