package io.tracemark.attest.erasure;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.records.RecordContent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which records' content their registrants erased, from ingest's records collection (attest never writes there):
 * every path that hands out an event carrying content (the pull cursor, webhook fan-out, a retried or replayed
 * webhook read back from the event store) asks here first and redacts ({@link Redaction}). The event store itself
 * is append-only; its copies age out with the topic's retention.
 */
@ApplicationScoped
public class ErasedRecords {
    private static final int IN_CHUNK = 250;
    private final MongoClient mongo;
    private final String database;
    private final String records;

    public ErasedRecords(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                         @ConfigProperty(name = "tracemark.attest.records-collection", defaultValue = "records") String records) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
    }

    /** The events, those carrying an erased record's content redacted; one keyed query when any carries content. */
    public List<Event> redacted(List<Event> events) {
        Set<String> ids = new LinkedHashSet<>();
        for (Event e : events) {
            String id = Redaction.recordWithContent(e);
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return events;
        }
        Set<String> erased = among(ids);
        if (erased.isEmpty()) {
            return events;
        }
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            String id = Redaction.recordWithContent(e);
            out.add(id != null && erased.contains(id) ? Redaction.redact(e) : e);
        }
        return out;
    }

    /** Those of {@code recordIds} whose content was erased, read by {@code _id} in a few queries. */
    public Set<String> among(Collection<String> recordIds) {
        List<String> ids = List.copyOf(recordIds);
        Set<String> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            mongo.getDatabase(database).getCollection(records).find(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
                    .projection(Projections.include(RecordContent.ERASED_AT))
                    .forEach(d -> {
                        if (d.get(RecordContent.ERASED_AT) != null) {
                            out.add(d.getString("_id"));
                        }
                    });
        }
        return out;
    }
}
