package io.tracemark.attest.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.proofs.media.PerceptualHash;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Raises {@code claim.conflict} for a media work whose file is identical to, or whose image is within
 * Hamming distance {@value #NEAR} of, a work another tenant registered earlier.
 *
 * <p>Once per poll of anchor requests, with keyed reads only and no write: ingest lists every work's file
 * SHA-256 in its {@code digests} lookup and its position-tagged pHash chunks in {@code work_chunks}, both
 * keyed by {@code _id}; one {@code $in} per lookup finds the candidates of the whole poll (multi-index
 * hashing, {@link PerceptualHash#taggedProbes}), and one {@code _id $in} on {@code records} loads them for
 * the exact checks. A work earlier in the same poll is found the same way, since ingest stored it first.
 */
@ApplicationScoped
public class ClaimConflicts {
    static final int NEAR = 10;
    private static final int IN_CHUNK = 500;

    private final MongoClient mongo;
    private final String database;
    private final String records;
    private final String fileDigests;
    private final String workChunks;

    public ClaimConflicts(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                          @ConfigProperty(name = "tracemark.attest.records-collection", defaultValue = "records") String records,
                          @ConfigProperty(name = "tracemark.attest.work-digests-collection", defaultValue = "digests") String fileDigests,
                          @ConfigProperty(name = "tracemark.attest.work-chunks-collection", defaultValue = "work_chunks") String workChunks) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
        this.fileDigests = fileDigests;
        this.workChunks = workChunks;
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    /** The conflict events of the media works among {@code requests}, for their (later) registrants. */
    public List<Event> check(List<AnchorRequest> requests) {
        List<AnchorRequest> works = requests.stream().filter(r -> r.work() != null).toList();
        if (works.isEmpty()) {
            return List.of();
        }
        Set<Object> shas = new LinkedHashSet<>();
        Set<Object> probes = new LinkedHashSet<>();
        for (AnchorRequest w : works) {
            shas.add(w.work().sha256());
            if (w.work().phash() != null) {
                probes.addAll(PerceptualHash.taggedProbes(PerceptualHash.parse(w.work().phash()), NEAR));
            }
        }
        Set<String> candidateIds = new LinkedHashSet<>();
        idsUnder(fileDigests, shas, candidateIds);
        idsUnder(workChunks, probes, candidateIds);
        Map<String, Document> candidates = new HashMap<>();
        for (List<String> part : chunks(new ArrayList<>(candidateIds))) {
            collection(records).find(Filters.in("_id", part))
                    .projection(Projections.include("tenant", "receivedAt", "keys.sha256", "keys.phash"))
                    .forEach(d -> candidates.put(d.getString("_id"), d));
        }
        List<Event> out = new ArrayList<>();
        for (AnchorRequest w : works) {
            earliestOther(w, candidates.values()).ifPresent(first -> out.add(conflict(w, first)));
        }
        return out;
    }

    private void idsUnder(String lookup, Set<Object> keys, Set<String> out) {
        for (List<Object> part : chunks(new ArrayList<>(keys))) {
            collection(lookup).find(Filters.in("_id", part))
                    .forEach(d -> out.addAll(d.getList("ids", String.class, List.of())));
        }
    }

    private static Optional<Document> earliestOther(AnchorRequest w, java.util.Collection<Document> candidates) {
        Date before = Date.from(w.acceptedAt());
        Long phash = w.work().phash() == null ? null : PerceptualHash.parse(w.work().phash());
        return candidates.stream()
                .filter(d -> !w.tenant().equals(d.getString("tenant")) && d.getDate("receivedAt").before(before))
                .filter(d -> w.work().sha256().equals(sha(d)) || near(phash, d))
                .min(Comparator.comparing((Document d) -> d.getDate("receivedAt")).thenComparing(d -> d.getString("_id")));
    }

    private static boolean near(Long phash, Document d) {
        String other = keys(d).getString("phash");
        return phash != null && other != null && PerceptualHash.distance(phash, PerceptualHash.parse(other)) <= NEAR;
    }

    private static Document keys(Document d) {
        Document k = d.get("keys", Document.class);
        return k == null ? new Document() : k;
    }

    private static String sha(Document d) {
        return keys(d).getString("sha256");
    }

    private static Event conflict(AnchorRequest w, Document first) {
        boolean exact = w.work().sha256().equals(sha(first));
        ObjectNode data = Json.MAPPER.createObjectNode().put("recordId", w.recordId()).put("sha256", w.work().sha256())
                .put("match", exact ? "sha256" : "phash")
                .put("earlierRecordId", first.getString("_id")).put("earlierTenant", first.getString("tenant"))
                .put("earlierAcceptedAt", first.getDate("receivedAt").toInstant().toString());
        if (!exact) {
            data.put("hammingDistance", PerceptualHash.distance(PerceptualHash.parse(w.work().phash()),
                    PerceptualHash.parse(keys(first).getString("phash"))));
        }
        return new Event(Event.idOf(EventTypes.CLAIM_CONFLICT, w.recordId()), EventTypes.CLAIM_CONFLICT, w.acceptedAt(),
                w.tenant(), List.of(), w.work().sha256(), data);
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }
}
