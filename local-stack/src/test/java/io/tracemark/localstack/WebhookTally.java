package io.tracemark.localstack;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A receiver's account of one event type, deduplicated by {@code webhook-id} as Standard Webhooks asks
 * receivers to do: at-least-once delivery may repeat a message (raw above distinct), but one event must
 * never arrive under two ids, and none may be missing.
 *
 * @param requests         every request of this type, whatever the answer
 * @param rawDelivered     requests answered 2xx
 * @param distinctDelivered distinct {@code webhook-id}s answered 2xx
 * @param retriedIds       ids that arrived more than once (a refused first attempt, a timeout, a crash)
 * @param refused          requests the receiver answered with an error on purpose
 * @param missing          expected record ids without a 2xx delivery
 * @param splitEvents      record ids that arrived under more than one {@code webhook-id}, with those ids
 * @param badSignatures    requests whose signature did not verify, with the reason
 */
record WebhookTally(String type, int requests, int rawDelivered, int distinctDelivered, int retriedIds, int refused,
                    Set<String> missing, Map<String, Set<String>> splitEvents, List<String> badSignatures) {

    static WebhookTally of(List<WebhookReceiver.Request> all, String type, Set<String> expectedRecordIds) {
        List<WebhookReceiver.Request> ofType = all.stream().filter(r -> type.equals(r.type())).toList();
        Map<String, Set<String>> idsByRecord = new HashMap<>();
        Map<String, Integer> arrivals = new HashMap<>();
        Set<String> deliveredIds = new HashSet<>();
        Set<String> deliveredRecords = new HashSet<>();
        int raw = 0;
        int refused = 0;
        for (WebhookReceiver.Request r : ofType) {
            idsByRecord.computeIfAbsent(String.valueOf(r.recordId()), k -> new TreeSet<>()).add(r.webhookId());
            arrivals.merge(r.webhookId(), 1, Integer::sum);
            if (r.delivered()) {
                raw++;
                deliveredIds.add(r.webhookId());
                deliveredRecords.add(r.recordId());
            } else {
                refused++;
            }
        }
        Set<String> missing = new TreeSet<>(expectedRecordIds);
        missing.removeAll(deliveredRecords);
        Map<String, Set<String>> split = new HashMap<>();
        idsByRecord.forEach((record, ids) -> {
            if (ids.size() > 1) {
                split.put(record, ids);
            }
        });
        List<String> bad = ofType.stream().filter(r -> r.signatureError() != null)
                .map(r -> r.webhookId() + ": " + r.signatureError()).toList();
        int retried = (int) arrivals.values().stream().filter(n -> n > 1).count();
        return new WebhookTally(type, ofType.size(), raw, deliveredIds.size(), retried, refused, missing, split, bad);
    }

    /** Raw deliveries beyond the first of each id: allowed by at-least-once, reported. */
    int duplicates() {
        return rawDelivered - distinctDelivered;
    }

    String summary() {
        return String.format("%s: %d requests, %d answered with an error on purpose, %d ids retried; %d raw deliveries"
                        + " of %d distinct webhook-ids (%d duplicate deliveries); %d missing, %d events under two ids,"
                        + " %d bad signatures", type, requests, refused, retriedIds, rawDelivered, distinctDelivered,
                duplicates(), missing.size(), splitEvents.size(), badSignatures.size());
    }
}
