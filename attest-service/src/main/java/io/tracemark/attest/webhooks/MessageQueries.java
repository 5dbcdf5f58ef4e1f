package io.tracemark.attest.webhooks;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's view of its webhook messages: listing, attempts and replay, over both places a message is
 * written ({@code webhook_messages} and the bulk {@link DeliveryLog}). Every read first writes what
 * {@link DeliveryStore} still holds, so a message just attempted shows its outcome.
 */
@ApplicationScoped
public class MessageQueries {
    /** Marks a message document read from the delivery log rather than {@code webhook_messages}. */
    private static final String LOGGED = "loggedOnly";

    @Inject
    DeliveryStore store;

    /**
     * A subscription's messages, newest first, optionally in one state: those with their own document and,
     * unless only pending or failed ones are asked for, those logged as delivered at once.
     */
    public List<Document> list(String tenant, String subscriptionId, String state, int limit) {
        store.flush();
        List<Document> out = new ArrayList<>();
        var filter = state == null ? Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId))
                : Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId), Filters.eq("state", state));
        store.messages().find(filter).sort(Sorts.descending("createdAt")).limit(limit).forEach(out::add);
        if (state == null || DeliveryStore.DELIVERED.equals(state)) {
            Set<String> own = new HashSet<>();
            out.forEach(d -> own.add(d.getString("_id")));
            // A message replayed after a delivery at once has its own document now: that one is its state.
            store.log().recent(tenant, subscriptionId, limit).stream().filter(d -> !own.contains(d.getString("_id"))).forEach(out::add);
            out.sort(Comparator.comparing((Document d) -> d.getDate("createdAt")).reversed());
        }
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** A message's attempts, oldest first. */
    public List<Document> attemptsOf(String tenant, String messageId) {
        return find(tenant, messageId).map(d -> d.getList("log", Document.class, List.of())).orElse(List.of());
    }

    /** Makes one message due again now with a fresh schedule; false if the tenant has no such message. */
    public boolean replay(String tenant, String subscriptionId, String messageId) {
        Optional<Document> m = find(tenant, messageId)
                .filter(d -> subscriptionId.equals(d.getString("subscriptionId")) && !DeliveryStore.PENDING.equals(d.getString("state")));
        if (m.isEmpty()) {
            return false;
        }
        if (m.get().getBoolean(LOGGED, false)) {
            // Delivered at once, so only in the delivery log: it gets its own document, keeping that attempt.
            Document own = new Document(m.get());
            own.remove(LOGGED);
            store.insertIgnoringDuplicates(List.of(own));
        }
        store.messages().updateOne(Filters.eq("_id", messageId), replayUpdate());
        store.scheduled(List.of(store.messages().find(Filters.eq("_id", messageId)).first()));
        return true;
    }

    /** Makes every failed message of a subscription created since {@code since} due again; returns how many. */
    public long replayFailed(String tenant, String subscriptionId, Instant since) {
        store.flush();
        long n = store.messages().updateMany(Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId),
                Filters.eq("state", DeliveryStore.FAILED), Filters.gte("createdAt", Date.from(since))), replayUpdate()).getModifiedCount();
        if (n > 0) {
            store.replayed();
        }
        return n;
    }

    /** The message document, if the tenant owns it; one only in the delivery log is marked {@link #LOGGED}. */
    public Optional<Document> find(String tenant, String messageId) {
        store.flush();
        Optional<Document> own = Optional.ofNullable(store.messages().find(Filters.eq("_id", messageId)).first());
        return own.or(() -> store.log().find(messageId).map(d -> d.append(LOGGED, true)))
                .filter(d -> tenant.equals(d.getString("tenant")));
    }

    private static Bson replayUpdate() {
        return Updates.combine(Updates.set("state", DeliveryStore.PENDING), Updates.set("attempts", 0),
                Updates.set("nextAttemptAt", new Date()), Updates.set("leaseUntil", new Date(0)), Updates.unset("failure"));
    }
}
