package io.tracemark.edge.store;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the MongoDB commands each service sends and the documents they write, per collection, so that
 * store writes per record are counted rather than estimated ({@value #COMMANDS} and
 * {@value #DOCUMENTS_WRITTEN}, tags {@code command} and {@code collection}, on {@code /q/metrics}).
 *
 * <p>Quarkus' MongoDB extension registers every CDI bean implementing {@link CommandListener} on its
 * clients, so every service that depends on http-edge has it. Only commands that name a collection are
 * counted: handshakes, pings, session and authentication commands ({@code hello}, {@code ping},
 * {@code endSessions}, {@code saslStart}, …) name none and never count, neither as commands nor as writes.
 *
 * <p>Documents written are counted from the command as sent, when it is sent: {@code insert} = its
 * {@code documents}, {@code update} = its {@code updates}, {@code delete} = its {@code deletes},
 * {@code findAndModify} = 1. The driver sends a bulk's documents as an OP_MSG document sequence and merges
 * the sequence back into {@link CommandStartedEvent#getCommand()}, so both forms are counted alike. These are
 * write operations asked of the store: a retried command counts again, and a document the server refuses
 * (e.g. a duplicate key) still counts, because it still cost the store a write attempt.
 */
@Singleton
public class StoreCommandMetrics implements CommandListener {
    /** Commands sent, tags {@code command} and {@code collection} (Prometheus {@code tracemark_store_commands_total}). */
    public static final String COMMANDS = "tracemark.store.commands";
    /** Documents in write commands, tags {@code command} and {@code collection} ({@code tracemark_store_documents_written_total}). */
    public static final String DOCUMENTS_WRITTEN = "tracemark.store.documents.written";

    private static final Logger LOG = Logger.getLogger(StoreCommandMetrics.class);

    /** The write commands, each with its documents-written counter per collection. */
    static final List<String> WRITE_COMMANDS = List.of("insert", "update", "delete", "findAndModify");

    private final MeterRegistry registry;
    // Bounded by the services' own collections and the commands they send.
    private final Map<Key, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> written = new ConcurrentHashMap<>();

    private record Key(String command, String collection) {
    }

    public StoreCommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        try {
            count(event.getCommandName(), event.getCommand());
        } catch (RuntimeException e) {
            // A metrics defect must never fail or slow a store command.
            LOG.debugf(e, "could not count MongoDB command %s", event.getCommandName());
        }
    }

    private void count(String command, BsonDocument body) {
        if (command == null || body == null) {
            return;
        }
        String collection = collectionOf(command, body);
        if (collection == null) {
            return;
        }
        commands.computeIfAbsent(new Key(command, collection), k -> Counter.builder(COMMANDS)
                .description("MongoDB commands sent, per collection")
                .tag("command", k.command()).tag("collection", k.collection()).register(registry)).increment();
        Counter c = written.computeIfAbsent(collection, this::writeCounters).get(command);
        if (c != null) {
            long n = documentsWritten(command, body);
            if (n > 0) {
                c.increment(n);
            }
        }
    }

    /**
     * Every write counter of a collection, registered at 0 on the first command that touches it (usually an
     * index check at start), so that a scraper sees a real zero for a collection that is only read rather
     * than a missing series it cannot tell from a service that does not count.
     */
    private Map<String, Counter> writeCounters(String collection) {
        Map<String, Counter> m = new HashMap<>();
        for (String command : WRITE_COMMANDS) {
            m.put(command, Counter.builder(DOCUMENTS_WRITTEN)
                    .description("Documents in MongoDB write commands (insert, update, delete, findAndModify), per collection")
                    .tag("command", command).tag("collection", collection).register(registry));
        }
        return Map.copyOf(m);
    }

    /**
     * The collection a command addresses, or {@code null} when it names none (admin and session commands,
     * database-level aggregations). Collection commands carry the name as the value of their first key;
     * {@code getMore} carries its cursor id there and the name in {@code collection}.
     */
    static String collectionOf(String command, BsonDocument body) {
        BsonValue v = command.equals("getMore") ? body.get("collection") : body.get(command);
        return v != null && v.isString() && !v.asString().getValue().isEmpty() ? v.asString().getValue() : null;
    }

    /** Documents a write command writes: the size of its operation array, or 1 for findAndModify. */
    static long documentsWritten(String command, BsonDocument body) {
        String array = switch (command) {
            case "insert" -> "documents";
            case "update" -> "updates";
            case "delete" -> "deletes";
            default -> null;
        };
        if (array == null) {
            return command.equals("findAndModify") ? 1 : 0;
        }
        BsonValue v = body.get(array);
        return v != null && v.isArray() ? v.asArray().size() : 0;
    }
}
