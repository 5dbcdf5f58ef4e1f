package io.tracemark.attest.webhooks;

import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The writes {@link DeliveryStore} queues for its bulk flush, and what each makes of a message: the whole
 * document when the message is not in the store yet, an update by id when it is.
 */
final class MessageOps {
    private MessageOps() {
    }

    /** A queued write about one message. */
    sealed interface Op permits Outcome, Persist, Abandon {
        String id();
    }

    /** An attempt's outcome and the message's next state ({@code nextAttemptAt} null = final). */
    record Outcome(DeliveryStore.Attempt attempt, String state, Instant nextAttemptAt) implements Op {
        public String id() {
            return attempt.messageId();
        }
    }

    /** Write a fanned-out message as pending, before any outcome. */
    record Persist(String id) implements Op {
    }

    /** End a message without an attempt. */
    record Abandon(String id, String reason) implements Op {
    }

    /** The first write of fanned-out {@code message}, with what {@code op} made of it. */
    static Document firstWrite(Document message, Op op) {
        Document d = new Document(message);
        if (d.containsKey("eventAt")) {
            // The event store keeps the body; the message keeps where (EventBodies reads it back for a retry).
            d.remove("body");
        }
        if (op instanceof Outcome o) {
            DeliveryStore.Attempt a = o.attempt();
            d.append("state", o.state()).append("attempts", a.attempt()).append("lastStatus", a.status())
                    .append("lastAttemptAt", Date.from(a.at()))
                    .append("nextAttemptAt", o.nextAttemptAt() == null ? null : Date.from(o.nextAttemptAt()))
                    .append("log", new ArrayList<>(List.of(a.toDocument())));
        } else if (op instanceof Abandon ab) {
            d.append("state", DeliveryStore.FAILED).append("failure", ab.reason());
        }
        return d;
    }

    /** The update {@code op} makes to a message already in the store; empty when it makes none. */
    static Optional<Bson> update(Op op) {
        if (op instanceof Outcome o) {
            DeliveryStore.Attempt a = o.attempt();
            return Optional.of(Updates.combine(Updates.set("state", o.state()), Updates.set("attempts", a.attempt()),
                    Updates.set("lastStatus", a.status()), Updates.set("lastAttemptAt", Date.from(a.at())),
                    Updates.set("leaseUntil", new Date(0)),
                    Updates.set("nextAttemptAt", o.nextAttemptAt() == null ? null : Date.from(o.nextAttemptAt())),
                    Updates.push("log", a.toDocument())));
        }
        if (op instanceof Abandon ab) {
            return Optional.of(Updates.combine(Updates.set("state", DeliveryStore.FAILED), Updates.set("failure", ab.reason()),
                    Updates.set("leaseUntil", new Date(0))));
        }
        // Persist of a message already written: nothing to do.
        return Optional.empty();
    }
}
