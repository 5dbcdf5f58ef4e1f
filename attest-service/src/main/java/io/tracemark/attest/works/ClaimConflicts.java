package io.tracemark.attest.works;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.Startup;
import io.tracemark.attest.anchoring.AnchorRequest;
import io.tracemark.attest.events.EventDispatcher;
import io.tracemark.attest.events.EventTypes;
import io.tracemark.attest.events.NewEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * Raises {@code claim.conflict} when a media work's file hash equals, or its 64-bit perceptual hash is
 * within Hamming distance {@value #NEAR} of, a work another tenant registered earlier.
 *
 * <p>Works are kept in {@code works} (attest-owned). Near-duplicate lookup uses the pigeonhole trick:
 * the pHash is cut into {@value #BANDS} bands, and two hashes within distance 10 share at least one band
 * exactly, so an indexed {@code $in} on bands finds every candidate before the exact distance check.
 */
@ApplicationScoped
@Startup
public class ClaimConflicts {
    static final int NEAR = 10;
    static final int BANDS = NEAR + 1;

    private final MongoClient mongo;
    private final String database;
    @Inject
    EventDispatcher events;
    @Inject
    ObjectMapper json;

    public ClaimConflicts(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    @PostConstruct
    void ensureIndexes() {
        works().createIndex(Indexes.ascending("sha256"), new IndexOptions().name("sha256"));
        works().createIndex(Indexes.ascending("bands"), new IndexOptions().name("bands"));
    }

    private MongoCollection<Document> works() {
        return mongo.getDatabase(database).getCollection("works");
    }

    /** Registers each media work and raises a conflict event for its tenant when another tenant was first. */
    public void check(List<AnchorRequest> requests) {
        List<NewEvent> out = new ArrayList<>();
        for (AnchorRequest r : requests) {
            if (r.work() == null || r.work().sha256() == null) {
                continue;
            }
            Long phash = parsePhash(r.work().phash());
            List<String> bands = phash == null ? List.of() : bands(phash);
            try {
                works().insertOne(new Document("_id", r.recordId()).append("tenant", r.tenant())
                        .append("sha256", r.work().sha256()).append("phash", phash).append("bands", bands)
                        .append("acceptedAt", Date.from(r.acceptedAt())));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            var filter = bands.isEmpty() ? Filters.eq("sha256", r.work().sha256())
                    : Filters.or(Filters.eq("sha256", r.work().sha256()), Filters.in("bands", bands));
            List<Document> earlier = new ArrayList<>();
            works().find(Filters.and(filter, Filters.ne("tenant", r.tenant()), Filters.lt("acceptedAt", Date.from(r.acceptedAt()))))
                    .forEach(earlier::add);
            earlier.stream().filter(d -> r.work().sha256().equals(d.getString("sha256"))
                            || (phash != null && d.getLong("phash") != null && Long.bitCount(phash ^ d.getLong("phash")) <= NEAR))
                    .min(Comparator.comparing(d -> d.getDate("acceptedAt")))
                    .ifPresent(first -> out.add(conflict(r, phash, first)));
        }
        events.append(out);
    }

    private NewEvent conflict(AnchorRequest r, Long phash, Document first) {
        boolean exact = r.work().sha256().equals(first.getString("sha256"));
        ObjectNode data = json.createObjectNode().put("recordId", r.recordId()).put("sha256", r.work().sha256())
                .put("match", exact ? "sha256" : "phash")
                .put("earlierRecordId", first.getString("_id")).put("earlierTenant", first.getString("tenant"))
                .put("earlierAcceptedAt", first.getDate("acceptedAt").toInstant().toString());
        if (!exact && phash != null) {
            data.put("hammingDistance", Long.bitCount(phash ^ first.getLong("phash")));
        }
        return new NewEvent(EventTypes.CLAIM_CONFLICT + ":" + r.recordId(), r.tenant(), EventTypes.CLAIM_CONFLICT,
                r.acceptedAt(), data.toString(), null, r.work().sha256());
    }

    static List<String> bands(long phash) {
        List<String> out = new ArrayList<>(BANDS);
        int start = 0;
        for (int i = 0; i < BANDS; i++) {
            int width = 64 / BANDS + (i < 64 % BANDS ? 1 : 0);
            long band = (phash >>> start) & ((1L << width) - 1);
            out.add(i + ":" + band);
            start += width;
        }
        return out;
    }

    static Long parsePhash(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{16}")) {
            return null;
        }
        return Long.parseUnsignedLong(hex, 16);
    }
}
